using Mnist.Model.Data;
using Mnist.Model.Weights;
using Mnist.Training;
using Mnist.Training.Loop;

namespace Mnist.Tests;

/// <summary>
/// A real model for functional tests, trained once per test run by the real trainer (in-process) on the first 6,000
/// training images (a few seconds; ~95% accurate), published with its model card as the trainer Job publishes it,
/// and the test set it is judged on.
/// </summary>
internal static class TestModel
{
    public const int TrainingImages = 6000;

    private static readonly Lazy<string> s_published = new(Publish);
    private static readonly Lazy<byte[]> s_weights = new(() => File.ReadAllBytes(Path.Combine(PublishedDirectory, "model.dat")));
    private static readonly Lazy<string> s_version = new(() => ModelVersion.Compute(WeightsFile));
    private static readonly Lazy<byte[]> s_loopWeights = new(() => Train(seed: 1, images: 4096));

    /// <summary>model.dat bytes in TorchSharp's format.</summary>
    public static byte[] WeightsFile => s_weights.Value;

    /// <summary>sha256 of <see cref="WeightsFile"/>, as the server reports it.</summary>
    public static string Version => s_version.Value;

    /// <summary>The trainer's model directory: model.dat, model.json and cards/&lt;version&gt;/.</summary>
    public static string PublishedDirectory => s_published.Value;

    /// <summary>The card directory the trainer wrote for <see cref="Version"/>.</summary>
    public static string CardDirectory => Path.Combine(PublishedDirectory, "cards", Version);

    public static MnistDataset TestSet => MnistTestData.Test;

    /// <summary>
    /// The training loop's weights after one epoch on the first 4,096 training images (seed 1; ~93% accurate),
    /// trained once per run without the trainer's evaluation and card: the model of the unit tests.
    /// </summary>
    public static byte[] LoopWeights => s_loopWeights.Value;

    /// <summary>Copies the run into <paramref name="modelDir"/> as the trainer publishes it: the card first, model.dat atomically last but one.</summary>
    public static void WriteTo(string modelDir)
    {
        var cards = Path.Combine(modelDir, "cards", Version);
        Directory.CreateDirectory(cards);
        foreach (var file in Directory.GetFiles(CardDirectory))
        {
            File.Copy(file, Path.Combine(cards, Path.GetFileName(file)), overwrite: true);
        }

        AtomicFile.WriteAllBytes(Path.Combine(modelDir, "model.dat"), WeightsFile);
        File.Copy(Path.Combine(PublishedDirectory, "model.json"), Path.Combine(modelDir, "model.json"), overwrite: true);
    }

    /// <summary>A second, different model (other seed) without a card, for hot-reload tests.</summary>
    public static byte[] TrainOther(int seed) => Train(seed, images: 1024);

    private static byte[] Train(int seed, int images)
    {
        var options = new TrainingOptions("", "", Seed: seed, Threads: Environment.ProcessorCount);
        using var net = new TrainingLoop(options, new SilentTrainingObserver()).Run(MnistTestData.Train.Take(images), CancellationToken.None);
        return MnistWeights.Serialize(net);
    }

    private static string Publish()
    {
        var directory = Directory.CreateTempSubdirectory("mnist-test-model-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args =
        [
            "--data-dir", RepoPaths.MnistData, "--model-dir", directory, "--limit", TrainingImages.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--seed", "1", "--threads", Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        var exitCode = TrainerCommand.RunAsync(args, output, error, handleSignals: false).WaitAsync(TimeSpan.FromMinutes(5)).GetAwaiter().GetResult();
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"The test model's training failed ({exitCode}): {error}");
        }

        return directory;
    }
}
