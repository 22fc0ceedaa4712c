using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Mnist.Model.Weights;

namespace Mnist.Model.Volume;

/// <summary>
/// Reads the volume the trainer publishes, which it may replace meanwhile: every read is bounded, and files of a card
/// must be plain files of their own directory (a link to elsewhere on the host is refused, not followed).
/// </summary>
public static class ModelVolumeReader
{
    // The weights are MnistWeights.FileLength bytes; anything far larger is not our model and is not read into memory.
    private const long MaxWeightsBytes = 16 * MnistWeights.FileLength;

    // The real card files are a few kilobytes (JSON) and tens of kilobytes (PNG).
    private const long MaxCardFileBytes = 4L * 1024 * 1024;

    /// <summary>The bytes of model.dat.</summary>
    /// <exception cref="InvalidDataException">The file is far larger than a model; nothing was read.</exception>
    /// <exception cref="IOException">It could not be read (missing, replaced meanwhile).</exception>
    public static byte[] ReadWeights(string modelDirectory) =>
        BoundedFile.Read(ModelVolume.WeightsPath(modelDirectory), MaxWeightsBytes, $"a weights file for this network is {MnistWeights.FileLength:N0} bytes");

    /// <summary>The card of <paramref name="version"/>, or null when the trainer wrote none for it.</summary>
    /// <exception cref="InvalidDataException">The card is there but unreadable, not plain files, or names another version.</exception>
    /// <exception cref="IOException">A file could not be read.</exception>
    public static PublishedCard? ReadCard(string modelDirectory, string version)
    {
        var directory = ModelVolume.CardPath(modelDirectory, version);
        if (!Directory.Exists(directory))
        {
            return null;
        }

        BoundedFile.RefuseLink(new DirectoryInfo(directory));
        var info = ReadJson(directory, ModelVolume.InfoFileName, VolumeJsonContext.Default.ModelInfo);
        var card = ReadJson(directory, ModelVolume.CardFileName, VolumeJsonContext.Default.ModelCard);
        foreach (var (file, named) in new[] { (ModelVolume.InfoFileName, info.ModelVersion), (ModelVolume.CardFileName, card.ModelVersion) })
        {
            if (named != version)
            {
                throw new InvalidDataException($"{Path.Combine(directory, file)} describes model {named}, not {version}");
            }
        }

        var plots = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in card.Plots)
        {
            // Names come from the volume: only plain file names of this directory.
            if (Path.GetFileName(name) != name || !name.EndsWith(".png", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{Path.Combine(directory, ModelVolume.CardFileName)} names a plot '{name}' that is not a .png file of its directory");
            }

            plots[name] = ReadCardFile(directory, name);
        }

        return new PublishedCard(info, card, plots);
    }

    private static T ReadJson<T>(string directory, string name, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(ReadCardFile(directory, name), type) ?? throw new InvalidDataException($"{Path.Combine(directory, name)} is JSON null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{Path.Combine(directory, name)} is not valid JSON: {e.Message}", e);
        }
    }

    private static byte[] ReadCardFile(string directory, string name) =>
        BoundedFile.Read(Path.Combine(directory, name), MaxCardFileBytes, $"a card file is at most {MaxCardFileBytes} bytes");
}
