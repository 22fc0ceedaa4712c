using Mnist.Model.Data;
using Mnist.Model.Weights;
using Mnist.Training;
using Mnist.Training.Training;

namespace Mnist.Tests;

/// <summary>
/// A real model for functional tests, trained once per test run by the product's training loop on the first 6,000
/// training images (a few seconds; ~95% accurate), and the test set it is judged on.
/// </summary>
internal static class TestModel
{
    private static readonly Lazy<byte[]> s_weights = new(Train);

    /// <summary>model.dat bytes in TorchSharp's format.</summary>
    public static byte[] WeightsFile => s_weights.Value;

    /// <summary>sha256 of <see cref="WeightsFile"/>, as the server reports it.</summary>
    public static string Version => ModelVersion.Compute(WeightsFile);

    public static MnistDataset TestSet => MnistTestData.Test;

    /// <summary>Writes model.dat into <paramref name="modelDir"/> (atomically, as the trainer does).</summary>
    public static void WriteTo(string modelDir) => AtomicFile.WriteAllBytes(Path.Combine(modelDir, "model.dat"), WeightsFile);

    /// <summary>A second, different model (other seed), for hot-reload tests.</summary>
    public static byte[] TrainOther(int seed) => Train(seed, images: 1024);

    private static byte[] Train() => Train(seed: 1, images: 6000);

    private static byte[] Train(int seed, int images)
    {
        var options = new TrainingOptions("", "", Seed: seed, Threads: Environment.ProcessorCount);
        using var net = new TrainingLoop(options, new SilentTrainingObserver()).Run(MnistTestData.Train.Take(images), CancellationToken.None);
        return MnistWeights.Serialize(net);
    }
}
