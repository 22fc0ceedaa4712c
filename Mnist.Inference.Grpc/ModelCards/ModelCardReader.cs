using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Google.Protobuf.WellKnownTypes;
using Mnist.Inference.Grpc.ModelReload;
using Mnist.V1;

namespace Mnist.Inference.Grpc.ModelCards;

/// <summary>
/// Reads MODEL_DIR/cards/&lt;model_version&gt;/, which the trainer publishes whole before the model.dat it describes:
/// model.json, card.json and the PNG plots. Every file must name the same version, so a card never describes other weights.
/// </summary>
public static class ModelCardReader
{
    public const string CardsDirectoryName = "cards";
    public const string InfoFileName = "model.json";
    public const string CardFileName = "card.json";

    // The real files are a few kilobytes (JSON) and tens of kilobytes (PNG).
    private const long MaxFileBytes = 4L * 1024 * 1024;

    /// <summary>The card of <paramref name="version"/>, or null when the trainer wrote none for it.</summary>
    /// <exception cref="InvalidDataException">The card is there but unreadable, or names another version.</exception>
    /// <exception cref="IOException">A file could not be read.</exception>
    public static ModelCard? Read(string modelDirectory, string version)
    {
        var directory = Path.Combine(modelDirectory, CardsDirectoryName, version);
        if (!Directory.Exists(directory))
        {
            return null;
        }

        BoundedFile.RefuseLink(new DirectoryInfo(directory));

        var model = ReadJson(Path.Combine(directory, InfoFileName), CardJsonContext.Default.ModelJsonFile);
        var card = ReadJson(Path.Combine(directory, CardFileName), CardJsonContext.Default.CardJsonFile);
        foreach (var (file, named) in new[] { (InfoFileName, model.ModelVersion), (CardFileName, card.ModelVersion) })
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
                throw new InvalidDataException($"{Path.Combine(directory, CardFileName)} names a plot '{name}' that is not a .png file of its directory");
            }

            plots[name] = ReadCardFile(Path.Combine(directory, name));
        }

        return new ModelCard(ToInfo(model, card), plots);
    }

    private static ModelInfo ToInfo(ModelJsonFile model, CardJsonFile card)
    {
        var info = new ModelInfo
        {
            ModelVersion = model.ModelVersion,
            CreatedTime = Timestamp.FromDateTimeOffset(model.CreatedUtc),
            HyperParameters = new HyperParameters
            {
                Epochs = model.Epochs,
                BatchSize = model.BatchSize,
                LearningRate = model.LearningRate,
                Gamma = model.Gamma,
                Seed = model.Seed,
                Threads = model.Threads,
            },
            TestAccuracy = model.TestAccuracy,
            TestLoss = model.TestLoss,
            TestImages = model.TestImages,
            TrainingImages = model.TrainingImages,
            TrainingSeconds = model.TrainingSeconds,
            TorchsharpVersion = model.TorchSharpVersion,
            LibtorchVersion = model.LibTorchVersion,
        };
        info.ClassAccuracy.Add(model.TestClassAccuracy);
        foreach (var row in model.ConfusionMatrix)
        {
            var counts = new ConfusionRow();
            counts.Counts.Add(row);
            info.ConfusionMatrix.Add(counts);
        }

        foreach (var e in card.Epochs)
        {
            info.Epochs.Add(new EpochMetrics
            {
                Epoch = e.Epoch, TrainLoss = e.TrainLoss, TestLoss = e.TestLoss, TestAccuracy = e.TestAccuracy,
                LearningRate = e.LearningRate, Seconds = e.Seconds,
            });
        }

        foreach (var c in card.MostConfused)
        {
            info.MostConfused.Add(new ConfusedSample { Id = c.Id, Label = c.Label, Predicted = c.Predicted, Confidence = (float)c.Confidence });
        }

        info.Plots.Add(card.Plots);
        return info;
    }

    private static T ReadJson<T>(string path, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(ReadCardFile(path), type) ?? throw new InvalidDataException($"{path} is JSON null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    private static byte[] ReadCardFile(string path) => BoundedFile.Read(path, MaxFileBytes, $"a card file is at most {MaxFileBytes} bytes");
}
