namespace Mnist.Tests;

/// <summary>The first MNIST test digits and their labels, for imaging tests.</summary>
internal static class MnistTestDigits
{
    public const int Count = 200;

    /// <summary>The 784 pixels of test digit <paramref name="index"/>.</summary>
    public static byte[] Image(int index) => MnistTestData.Test.Image(index).ToArray();

    /// <summary>Test digit <paramref name="index"/> as a 28x28 grey PNG (white digit on black).</summary>
    public static byte[] Png(int index) => TestPngEncoder.Encode(MnistTestData.Test.Image(index), 28, 28);

    public static int Label(int index) => MnistTestData.Test.Labels[index];

    public static int FirstIndexOf(int label) => Array.IndexOf(MnistTestData.Test.Labels, (byte)label, 0, Count);
}
