using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Mnist.V1;
using Mnist.Model.Data;

namespace Mnist.Benchmarks.Server;

/// <summary>
/// Mode <c>grpc-check</c>: one Predict with Grpc.Net.Client, which reads grpc-status from the trailers (a load generator
/// only sees HTTP 200). Exit 0 when the status is OK and the digit matches the label, 1 otherwise.
/// Options: --address (http://127.0.0.1:50051), --data-dir (data/mnist), --index (0), --ca-file (with an https://
/// address: the PEM CA the server's certificate must chain to). Sends MNIST_API_KEY, the CLI's variable, when set.
/// </summary>
internal static class GrpcPredictCheck
{
    public static int Run(string[] args)
    {
        var options = new BenchmarkArguments(args);
        var test = MnistDataset.LoadTest(options.Text("data-dir", "data/mnist"));
        var index = options.Integer("index", 0);
        using var channel = GrpcChannel.ForAddress(options.Text("address", "http://127.0.0.1:50051"),
            new GrpcChannelOptions { HttpHandler = Handler(options.Text("ca-file", "")) });
        var client = new V1.Mnist.MnistClient(channel);
        var key = Environment.GetEnvironmentVariable("MNIST_API_KEY");
        var headers = string.IsNullOrEmpty(key) ? null : new Metadata { { "authorization", $"Bearer {key}" } };
        try
        {
            var prediction = client.PredictAsync(
                new PredictRequest { Pixels = ByteString.CopyFrom(test.Image(index)) }, headers,
                deadline: DateTime.UtcNow.AddSeconds(10)).GetAwaiter().GetResult();
            var label = test.Labels[index];
            Console.WriteLine($"grpc-status 0 (OK): digit {prediction.Digit} (label {label}), confidence {prediction.Confidence:F3}, model {prediction.ModelVersion[..Math.Min(12, prediction.ModelVersion.Length)]}");
            return prediction.Digit == label ? 0 : 1;
        }
        catch (RpcException e)
        {
            Console.WriteLine($"grpc-status {(int)e.StatusCode} ({e.StatusCode}): {e.Status.Detail}");
            return 1;
        }
    }

    /// <summary>The system's roots, or only the CA in <paramref name="caFile"/>.</summary>
    private static SocketsHttpHandler Handler(string caFile)
    {
        var handler = new SocketsHttpHandler();
        if (caFile.Length > 0)
        {
            var ca = X509Certificate2.CreateFromPem(File.ReadAllText(caFile));
            handler.SslOptions.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { ca },
                RevocationMode = X509RevocationMode.NoCheck,
            };
        }

        return handler;
    }
}
