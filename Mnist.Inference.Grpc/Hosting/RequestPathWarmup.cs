using System.Diagnostics;
using Google.Protobuf;
using Inference;
using Microsoft.Extensions.Options;
using Mnist.Inference.Grpc.ModelReload;
using Mnist.Inference.Grpc.Observability;
using Mnist.Inference.Grpc.OpenInference;
using Mnist.Inference.Grpc.Services;
using Mnist.Inference.Grpc.TestSet;
using Mnist.Model;
using Mnist.V1;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Mnist.Inference.Grpc.Hosting;

/// <summary>
/// At start-up, once the model is loaded and warm and the batcher runs, and before Kestrel listens (so before any
/// probe can see SERVING): a few rounds of classifications through the path client calls take (PNG decode, the
/// batcher alone and queued, the mnist.v1 and Open Inference answers and their protobuf encoding), so that code is
/// compiled before the first client's call. It drives several features at once, so it lives with the composition.
/// Its calls are left out of the metrics and traces. A few rounds, not the 30 calls after which .NET re-compiles a
/// method optimised: those take about 25 ms a round, and load passes them in its first milliseconds anyway
/// (docs/performance.md). WARMUP_ENABLED=false skips it; a model that arrives after start-up gets the forward
/// warm-up only.
/// </summary>
public sealed class RequestPathWarmup(
    ModelStore models,
    MnistService mnist,
    OpenInferenceHandler openInference,
    TestSampleSet testSet,
    InferenceMetrics metrics,
    TelemetrySilence silence,
    IOptions<ModelReloadOptions> options,
    ILogger<RequestPathWarmup> logger) : IHostedService
{
    private const int Rounds = 4;
    private const int CallsPerRound = 8;
    private const int InferBatch = 4;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.WarmupEnabled || models.Current is null)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        try
        {
            using (metrics.PausePredictions())
            using (silence.Begin())
            {
                await RunAsync(cancellationToken);
            }

            ModelLog.RequestPathWarmedUp(logger, Rounds * (CallsPerRound + 1), clock.ElapsedMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The model serves whatever happened here: the first calls are slower, not refused.
            ModelLog.RequestPathWarmupFailed(logger, e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var pixels = testSet.IsAvailable ? testSet.Sample(0).ToArray() : new byte[MnistShape.PixelCount];
        var byPixels = new PredictRequest { Pixels = ByteString.CopyFrom(pixels) };
        var byImage = new PredictRequest { Image = ByteString.CopyFrom(Png(pixels)) };
        for (var round = 0; round < Rounds; round++)
        {
            // Concurrent, so some calls run alone on their own thread and others queue for the batch workers.
            var calls = Enumerable.Range(0, CallsPerRound).Select(i => Task.Run(async () =>
            {
                var prediction = await mnist.PredictAsync(i % 2 == 0 ? byPixels : byImage, cancellationToken);
                return prediction.ToByteArray().Length;
            }, cancellationToken)).Append(Task.Run(async () =>
            {
                var response = await openInference.InferAsync(InferRequest(pixels), cancellationToken);
                return response.ToByteArray().Length;
            }, cancellationToken));
            await Task.WhenAll(calls);
        }
    }

    // As tritonclient sends them: raw FP32 intensities.
    private static ModelInferRequest InferRequest(byte[] pixels)
    {
        var raw = new float[InferBatch * MnistShape.PixelCount];
        for (var i = 0; i < raw.Length; i++)
        {
            raw[i] = pixels[i % MnistShape.PixelCount] / 255f;
        }

        var input = new ModelInferRequest.Types.InferInputTensor { Name = MnistModelDescription.PixelsInput, Datatype = TensorDataTypes.Fp32 };
        input.Shape.Add([InferBatch, 1, MnistShape.ImageSide, MnistShape.ImageSide]);
        var request = new ModelInferRequest { ModelName = MnistModelDescription.Name };
        request.Inputs.Add(input);
        request.RawInputContents.Add(ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(raw.AsSpan())));
        return request;
    }

    private static byte[] Png(byte[] pixels)
    {
        using var image = Image.LoadPixelData<L8>(pixels, MnistShape.ImageSide, MnistShape.ImageSide);
        using var png = new MemoryStream();
        image.SaveAsPng(png, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8 });
        return png.ToArray();
    }
}
