using Google.Protobuf;
using Mnist.Grpc.Client;
using Mnist.Grpc.V1;
using Mnist.Grpc.Wire;
using Mnist.Model.Data;

namespace Mnist.Benchmarks.Server;

/// <summary>
/// Mode <c>grpc-check</c>: one Predict with our client, which reads grpc-status from the trailers (a load generator
/// only sees HTTP 200). Exit 0 when the status is OK and the digit matches the label, 1 otherwise.
/// Options: --address (http://127.0.0.1:50051), --data-dir (data/mnist), --index (0).
/// </summary>
internal static class GrpcPredictCheck
{
    public static int Run(string[] args)
    {
        var options = new BenchmarkArguments(args);
        var test = MnistDataset.LoadTest(options.Text("data-dir", "data/mnist"));
        var index = options.Integer("index", 0);
        using var channel = new GrpcClient(new Uri(options.Text("address", "http://127.0.0.1:50051")));
        var client = new MnistClient(channel);
        try
        {
            var prediction = client.PredictAsync(
                new PredictRequest { Pixels = ByteString.CopyFrom(test.Image(index)) },
                new GrpcCallOptions { Timeout = TimeSpan.FromSeconds(10) }).GetAwaiter().GetResult();
            var label = test.Labels[index];
            Console.WriteLine($"grpc-status 0 (OK): digit {prediction.Digit} (label {label}), confidence {prediction.Confidence:F3}, model {prediction.ModelVersion[..12]}");
            return prediction.Digit == label ? 0 : 1;
        }
        catch (GrpcStatusException e)
        {
            Console.WriteLine($"grpc-status {(int)e.StatusCode} ({e.StatusCode}): {e.Message}");
            return 1;
        }
    }
}
