using Grpc.Core;
using Mnist.Inference.Grpc.Admission;
using Mnist.Inference.Grpc.Batching;
using Mnist.Inference.Grpc.Errors;
using Mnist.Inference.Grpc.ModelReload;
using Mnist.Inference.Grpc.Observability;
using Mnist.Model;
using Mnist.Model.Imaging;

namespace Mnist.Inference.Grpc.Classification;

/// <summary>
/// The one classification path behind every transport (mnist.v1 over gRPC and REST, the original services' routes,
/// the Open Inference Protocol): decode, batch, answer. Its failures are already the statuses clients see.
/// </summary>
public sealed class DigitClassifier(ModelStore models, DigitImageReader images, DecodeSlots decodeSlots, PredictionBatcher batcher, InferenceMetrics metrics)
{
    /// <summary>The loaded model, or UNAVAILABLE.</summary>
    public LoadedModel RequireModel() => models.Current ?? throw Statuses.NoModel(models.UnavailableReason);

    /// <summary>Classifies one 28x28 image (784 bytes, white digit on black).</summary>
    public Task<DigitPrediction> ClassifyPixelsAsync(ReadOnlySpan<byte> pixels, CancellationToken cancellationToken)
    {
        if (pixels.Length != MnistShape.PixelCount)
        {
            throw Statuses.WrongPixelCount(pixels.Length);
        }

        RequireModel();
        return AnswerAsync(batcher.PredictAsync(pixels, cancellationToken), cancellationToken);
    }

    /// <summary>Classifies one encoded image file (PNG or JPEG).</summary>
    public async Task<DigitPrediction> ClassifyImageAsync(ReadOnlyMemory<byte> file, CancellationToken cancellationToken)
    {
        var pixels = new byte[MnistShape.PixelCount];
        await DecodeAsync(file, pixels, cancellationToken);
        return await ClassifyPixelsAsync(pixels, cancellationToken);
    }

    /// <summary>
    /// Classifies N images (N*784 bytes, read until the task ends: do not reuse them) in the shared batcher, in
    /// forwards of at most BATCH_MAX_SIZE.
    /// </summary>
    public async Task<DigitBatchPrediction> ClassifyBatchAsync(ReadOnlyMemory<byte> pixels, CancellationToken cancellationToken)
    {
        RequireModel();
        BatchPrediction batched;
        try
        {
            batched = await batcher.PredictBatchAsync(pixels, cancellationToken);
        }
        catch (Exception e) when (TranslateBatchFailure(e, cancellationToken) is { } status)
        {
            throw status;
        }

        var digits = new long[batched.Probabilities.Length / MnistShape.ClassCount];
        for (var i = 0; i < digits.Length; i++)
        {
            var probabilities = batched.Probabilities.AsSpan(i * MnistShape.ClassCount, MnistShape.ClassCount);
            var digit = MnistShape.MostLikely(probabilities);
            metrics.PredictionAnswered(digit, probabilities[digit]);
            digits[i] = digit;
        }

        return new DigitBatchPrediction(batched.Probabilities, digits, batched.ModelVersion);
    }

    /// <summary>
    /// Decodes one image file into MNIST's 784 pixels, in one of the DECODE_SLOTS (RESOURCE_EXHAUSTED when none comes
    /// free in time). <paramref name="name"/> prefixes the message when a request carries several (the Open Inference
    /// Protocol's "image 3: ..."). The call's token stops the decode, so a call that is gone, or past its deadline,
    /// never holds a slot nor the drain.
    /// </summary>
    public async Task DecodeAsync(ReadOnlyMemory<byte> file, Memory<byte> pixels, CancellationToken cancellationToken, string? name = null)
    {
        using var slot = await decodeSlots.EnterAsync(cancellationToken);
        Decode(file, pixels.Span, name, cancellationToken);
    }

    private void Decode(ReadOnlyMemory<byte> file, Span<byte> pixels, string? name, CancellationToken cancellationToken)
    {
        using var span = MnistTelemetry.Source.StartActivity(MnistTelemetry.ImageDecodeSpan);
        try
        {
            images.ReadDigit(file, pixels, cancellationToken);
        }
        catch (ImageTooLargeException e)
        {
            throw Statuses.ResourceExhausted(name is null ? e.Message : $"{name}: {e.Message}");
        }
        catch (ImageRejectedException e)
        {
            throw Statuses.InvalidArgument(name is null ? e.Message : $"{name}: {e.Message}");
        }
    }

    private async Task<DigitPrediction> AnswerAsync(Task<BatchPrediction> batched, CancellationToken cancellationToken)
    {
        try
        {
            return Answered(await batched);
        }
        catch (Exception e) when (TranslateBatchFailure(e, cancellationToken) is { } status)
        {
            throw status;
        }
    }

    private DigitPrediction Answered(BatchPrediction batched)
    {
        var digit = MnistShape.MostLikely(batched.Probabilities);
        metrics.PredictionAnswered(digit, batched.Probabilities[digit]);
        return new DigitPrediction(digit, batched.Probabilities, batched.ModelVersion);
    }

    private static RpcException? TranslateBatchFailure(Exception e, CancellationToken cancellationToken) => e switch
    {
        ModelUnavailableException unavailable => Statuses.NoModel(unavailable.Reason),
        // The batcher stopped, not the caller: the server is going away.
        OperationCanceledException when !cancellationToken.IsCancellationRequested => Statuses.ShuttingDown(),
        _ => null,
    };
}
