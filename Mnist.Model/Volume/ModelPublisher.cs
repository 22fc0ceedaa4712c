using System.Text.Json;
using Mnist.Model.Weights;

namespace Mnist.Model.Volume;

/// <summary>
/// Publishes a run: first its card directory, cards/&lt;model_version&gt;/ (a copy of model.json, card.json and the
/// plots; see <see cref="CardDirectory"/>), then model.dat, then model.json, each file atomically (temp file, flush
/// to disk, rename). Readers of the volume only ever see a complete previous or complete new model; model.json never
/// announces weights that are not there yet; and by the time model.dat holds a version, that version's card is complete.
/// </summary>
public static class ModelPublisher
{
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

    /// <summary>Publishes the weights, their description and their card; returns the description actually written.</summary>
    /// <param name="card">The card's other files (card.json, the plots) for the description of the weights.</param>
    /// <exception cref="ModelDirectoryException">A file could not be written; the previous model is intact.</exception>
    public static ModelInfo Publish(string directory, byte[] weights, Func<string, ModelInfo> describe, Func<ModelInfo, IReadOnlyList<(string Name, byte[] Bytes)>> card)
    {
        var info = describe(ModelVersion.Compute(weights));
        var json = JsonSerializer.SerializeToUtf8Bytes(info, VolumeJsonContext.Default.ModelInfo);
        var files = card(info);
        Guard(directory, () =>
        {
            var weightsPath = ModelVolume.WeightsPath(directory);
            var replaced = File.Exists(weightsPath) ? ModelVersion.ComputeFile(weightsPath) : null;
            CardDirectory.Write(directory, info.ModelVersion, [(ModelVolume.InfoFileName, json), .. files]);
            AtomicFile.WriteAllBytes(weightsPath, weights);
            AtomicFile.WriteAllBytes(Path.Combine(directory, ModelVolume.InfoFileName), json);
            // Servers still on the replaced model keep its card until they have loaded the new one.
            CardDirectory.Prune(directory, new HashSet<string>(StringComparer.Ordinal) { info.ModelVersion, replaced ?? info.ModelVersion });
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
