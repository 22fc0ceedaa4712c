using Mnist.Inference.Grpc.Errors;
using Mnist.Model;
using Inference;
using Mnist.Inference.Grpc.Classification;
using Mnist.Inference.Grpc.Draining;
using Mnist.Inference.Grpc.ModelReload;

namespace Mnist.Inference.Grpc.OpenInference;

/// <summary>
/// The Open Inference Protocol's calls, whatever carries them (gRPC or REST): health and metadata from the same
/// model store and drain as grpc.health.v1, and inference through the same batcher as mnist.v1.
/// </summary>
public sealed class OpenInferenceHandler(DigitClassifier classifier, ModelStore models, ServerDrain drain)
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
        var model = classifier.RequireModel();
        RequireVersion(version, model.Version);
        return MnistModelDescription.Metadata(model.Version);
    }

    public static ServerMetadataResponse ServerMetadata() => new()
    {
        Name = "mnist-inference",
        Version = typeof(OpenInferenceHandler).Assembly.GetName().Version?.ToString() ?? "",
    };

    /// <summary>Checks the request, decodes its images, then classifies them all in the shared batcher.</summary>
    public async Task<ModelInferResponse> InferAsync(ModelInferRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireName(request.ModelName);
        RequireVersion(request.ModelVersion, classifier.RequireModel().Version);
        var batch = InferRequestReader.Read(request);
        var pixels = batch.Pixels ?? await DecodeAsync(batch.Images!, cancellationToken);
        var answers = await classifier.ClassifyBatchAsync(pixels, cancellationToken);
        return InferResponseWriter.Write(request.Id, batch, answers);
    }

    private async Task<byte[]> DecodeAsync(ReadOnlyMemory<byte>[] files, CancellationToken cancellationToken)
    {
        var pixels = new byte[files.Length * MnistShape.PixelCount];
        for (var i = 0; i < files.Length; i++)
        {
            await classifier.DecodeAsync(files[i], pixels.AsMemory(i * MnistShape.PixelCount, MnistShape.PixelCount), cancellationToken, $"image {i}");
        }

        return pixels;
    }

    private static void RequireName(string name)
    {
        if (name != MnistModelDescription.Name)
        {
            throw Statuses.UnknownModel(name, MnistModelDescription.Name);
        }
    }

    private static void RequireVersion(string version, string served)
    {
        if (version.Length > 0 && version != served)
        {
            throw Statuses.UnknownModelVersion(MnistModelDescription.Name, version, served);
        }
    }
}
