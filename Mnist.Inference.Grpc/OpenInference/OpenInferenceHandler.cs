using Grpc.Core;
using Inference;
using Mnist.Inference.Grpc.Batching;
using Mnist.Inference.Grpc.Draining;
using Mnist.Inference.Grpc.ModelReload;
using Mnist.Inference.Grpc.Observability;
using Mnist.Model.Imaging;
using Mnist.Model.Network;

namespace Mnist.Inference.Grpc.OpenInference;

/// <summary>
/// The Open Inference Protocol's calls, whatever carries them (gRPC or REST): health and metadata from the same
/// model store and drain as grpc.health.v1, and inference through the same batcher as mnist.v1.
/// </summary>
public sealed class OpenInferenceHandler(ModelStore models, ServerDrain drain, DigitImageReader images, PredictionBatcher batcher, InferenceMetrics metrics)
{
    /// <summary>Ready while a model is loaded and the server is not draining, as grpc.health.v1 reports SERVING.</summary>
    public bool ServerReady => models.Current is not null && !drain.IsDraining;

    public bool ModelReady(string name, string version)
    {
        RequireName(name);
        if (models.Current is not { } model)
        {
            return false;
        }

        RequireVersion(version, model.Version);
        return !drain.IsDraining;
    }

    public ModelMetadataResponse ModelMetadata(string name, string version)
    {
        RequireName(name);
        var model = models.Current ?? throw OpenInferenceStatuses.NoModel(models.UnavailableReason);
        RequireVersion(version, model.Version);
        return MnistModelDescription.Metadata(model.Version);
    }

    public static ServerMetadataResponse ServerMetadata() => new()
    {
        Name = "mnist-inference",
        Version = typeof(OpenInferenceHandler).Assembly.GetName().Version?.ToString() ?? "",
    };

    /// <summary>Checks the request, decodes its images, then predicts them all in the shared batcher.</summary>
    public async Task<ModelInferResponse> InferAsync(ModelInferRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireName(request.ModelName);
        var served = models.Current ?? throw OpenInferenceStatuses.NoModel(models.UnavailableReason);
        RequireVersion(request.ModelVersion, served.Version);
        var batch = InferRequestReader.Read(request);
        var pixels = batch.Pixels ?? Decode(batch.Images!, cancellationToken);

        BatchPrediction[] predictions;
        try
        {
            predictions = await batcher.PredictBatchAsync(pixels, cancellationToken);
        }
        catch (ModelUnavailableException e)
        {
            throw OpenInferenceStatuses.NoModel(e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The batcher stopped, not the caller: the server is going away.
            throw DrainInterceptor.ShuttingDown();
        }

        var probabilities = new float[batch.Count * MnistNet.ClassCount];
        var digits = new long[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var mine = predictions[i].Probabilities;
            mine.CopyTo(probabilities, i * MnistNet.ClassCount);
            var digit = MostLikely(mine);
            digits[i] = digit;
            metrics.PredictionAnswered(digit, mine[digit]);
        }

        return InferResponseWriter.Write(request.Id, predictions[^1].ModelVersion, batch, probabilities, digits);
    }

    private byte[] Decode(ReadOnlyMemory<byte>[] files, CancellationToken cancellationToken)
    {
        var pixels = new byte[files.Length * MnistNet.PixelCount];
        using var span = MnistTelemetry.Source.StartActivity(MnistTelemetry.ImageDecodeSpan);
        for (var i = 0; i < files.Length; i++)
        {
            try
            {
                images.ReadDigit(files[i], pixels.AsSpan(i * MnistNet.PixelCount, MnistNet.PixelCount), cancellationToken);
            }
            catch (ImageTooLargeException e)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted, $"image {i}: {e.Message}"));
            }
            catch (ImageRejectedException e)
            {
                throw OpenInferenceStatuses.InvalidArgument($"image {i}: {e.Message}");
            }
        }

        return pixels;
    }

    private static int MostLikely(float[] probabilities)
    {
        var best = 0;
        for (var i = 1; i < probabilities.Length; i++)
        {
            if (probabilities[i] > probabilities[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static void RequireName(string name)
    {
        if (name != MnistModelDescription.Name)
        {
            throw OpenInferenceStatuses.UnknownModel(name);
        }
    }

    private static void RequireVersion(string version, string served)
    {
        if (version.Length > 0 && version != served)
        {
            throw OpenInferenceStatuses.UnknownVersion(version, served);
        }
    }
}
