using Mnist.Model;
using System.Buffers.Binary;
using System.Diagnostics;
using Google.Protobuf;
using Grpc.Net.Client;
using Inference;
using Mnist.Model.Data;

namespace Mnist.Benchmarks.Server;

/// <summary>
/// Mode <c>oip-infer</c>: images/s through the server's Open Inference ModelInfer, as tritonclient sends it: raw FP32
/// [B,1,28,28] test images (b/255), raw outputs back. The request is encoded once, so the client costs little
/// CPU beside the server on the same cores. Options: --address (http://127.0.0.1:50051), --data-dir (data/mnist),
/// --batch (64), --callers (2 calls in flight), --warmup-seconds (2), --seconds (3).
/// Prints <c>OIP batch=B callers=C images_per_s=X client_cpu_percent=P</c> for scripts: P is this client's CPU time over
/// the timed run, in % of one core, the share of the cores it takes from the server.
/// </summary>
internal static class OpenInferenceBatchBenchmark
{
    public static int Run(string[] args)
    {
        var options = new BenchmarkArguments(args);
        var batch = options.Integer("batch", 64);
        var callers = options.Integer("callers", 2);
        var test = MnistDataset.LoadTest(options.Text("data-dir", "data/mnist"));
        using var channel = GrpcChannel.ForAddress(options.Text("address", "http://127.0.0.1:50051"));
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        var request = Request(test, batch);

        Run(client, request, callers, TimeSpan.FromSeconds(options.Number("warmup-seconds", 2)));
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var (images, elapsed) = Run(client, request, callers, TimeSpan.FromSeconds(options.Number("seconds", 3)));
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        Console.WriteLine($"OIP batch={batch} callers={callers} images_per_s={images / elapsed.TotalSeconds:F0} client_cpu_percent={100 * cpu / elapsed:F0}");
        return 0;
    }

    private static ModelInferRequest Request(MnistDataset test, int batch)
    {
        var raw = new byte[batch * MnistShape.PixelCount * sizeof(float)];
        var pixels = test.Images.AsSpan(0, batch * MnistShape.PixelCount);
        for (var i = 0; i < pixels.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), pixels[i] / 255f);
        }

        var request = new ModelInferRequest { ModelName = "mnist" };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "input", Datatype = "FP32" };
        input.Shape.Add([batch, 1, MnistShape.ImageSide, MnistShape.ImageSide]);
        request.Inputs.Add(input);
        request.RawInputContents.Add(UnsafeByteOperations.UnsafeWrap(raw));
        return request;
    }

    private static (long Images, TimeSpan Elapsed) Run(GRPCInferenceService.GRPCInferenceServiceClient client, ModelInferRequest request, int callers, TimeSpan duration)
    {
        var batch = (int)request.Inputs[0].Shape[0];
        long images = 0;
        var watch = Stopwatch.StartNew();
        var loops = Enumerable.Range(0, callers).Select(async _ =>
        {
            while (watch.Elapsed < duration)
            {
                var response = await client.ModelInferAsync(request, deadline: DateTime.UtcNow.AddSeconds(30));
                if (response.RawOutputContents.Count != 2 || response.RawOutputContents[1].Length != batch * sizeof(long))
                {
                    throw new InvalidOperationException("ModelInfer answered without the raw outputs of the batch");
                }

                Interlocked.Add(ref images, batch);
            }
        }).ToArray();
        Task.WaitAll(loops);
        return (images, watch.Elapsed);
    }
}
