using Mnist.Model.Data;
using Mnist.Model.Network;
using Mnist.Model.Optimizers;
using Mnist.Model.Training;
using Mnist.Model.Weights;

namespace Mnist.Tests;

/// <summary>
/// A real model for functional tests, trained once per test run on the first 6,000 training images
/// (a few seconds; ~95% accurate), and the test set it is judged on.
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
        const int batch = 64;
        var data = MnistTestData.Train.Take(images);
        var net = MnistNet.CreateInitialized(seed);
        var step = new TrainingStep(net, batch, seed);
        var optimizer = new Adadelta(net.Parameters);
        var normalized = new float[batch * MnistNet.PixelCount];
        for (var start = 0; start + batch <= data.Count; start += batch)
        {
            MnistNormalization.Normalize(data.Images.AsSpan(start * MnistNet.PixelCount, batch * MnistNet.PixelCount), normalized);
            step.Run(normalized, data.Labels.AsSpan(start, batch), optimizer);
        }

        return MnistWeights.Serialize(net);
    }
}
