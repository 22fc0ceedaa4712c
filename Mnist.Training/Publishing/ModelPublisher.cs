using System.Text.Json;
using Mnist.Model.Weights;

namespace Mnist.Training.Publishing;

/// <summary>
/// Writes model.dat, then model.json, each atomically (temp file, flush to disk, rename), so readers of the
/// volume only ever see a complete previous or complete new model, and model.json never announces weights
/// that are not there yet.
/// </summary>
internal static class ModelPublisher
{
    public const string WeightsFileName = "model.dat";
    public const string InfoFileName = "model.json";

    /// <summary>Creates the directory if needed and proves it is writable, before hours of training.</summary>
    /// <exception cref="ModelDirectoryException">Not creatable or not writable.</exception>
    public static void EnsureWritable(string directory)
    {
        Guard(directory, () =>
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".write-probe-{Guid.NewGuid():N}");
            using var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            stream.WriteByte(0);
        });
    }

    /// <summary>Publishes the weights and their description; returns the description actually written.</summary>
    /// <exception cref="ModelDirectoryException">A file could not be written; the previous model is intact.</exception>
    public static ModelInfo Publish(string directory, byte[] weights, Func<string, ModelInfo> describe)
    {
        var info = describe(ModelVersion.Compute(weights));
        var json = JsonSerializer.SerializeToUtf8Bytes(info, ModelInfoJsonContext.Default.ModelInfo);
        Guard(directory, () =>
        {
            AtomicFile.WriteAllBytes(Path.Combine(directory, WeightsFileName), weights);
            AtomicFile.WriteAllBytes(Path.Combine(directory, InfoFileName), json);
        });
        return info;
    }

    private static void Guard(string directory, Action write)
    {
        try
        {
            write();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ModelDirectoryException($"Cannot write the model directory {directory}: {error.Message}", error);
        }
    }
}
