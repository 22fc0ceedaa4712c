using Mnist.Model;
using Mnist.Model.Data;

namespace Mnist.Tests;

/// <summary>The shipped MNIST files, read once per test run with the product's IDX reader.</summary>
internal static class MnistTestData
{
    private static readonly Lazy<MnistDataset> s_train = new(() => MnistDataset.LoadTrain(RepoPaths.MnistData));
    private static readonly Lazy<MnistDataset> s_test = new(() => MnistDataset.LoadTest(RepoPaths.MnistData));

    public static MnistDataset Train => s_train.Value;

    public static MnistDataset Test => s_test.Value;

    /// <summary>The first <paramref name="count"/> images (784 bytes each) and labels of "train" or "t10k".</summary>
    public static (byte[] Pixels, byte[] Labels) Load(string set, int count)
    {
        var data = set == "train" ? Train : Test;
        return (data.Images[..(count * MnistShape.PixelCount)], data.Labels[..count]);
    }
}
