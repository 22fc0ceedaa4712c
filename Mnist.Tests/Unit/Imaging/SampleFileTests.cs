using Mnist.Model.Imaging;

namespace Mnist.Tests.Unit.Imaging;

/// <summary>
/// Mnist.Tests/TestData/digit-7.png and digit-2.png, the samples the README and the CLI tests send, are the first
/// MNIST test digits of their label drawn as a user's scan would be: black on white, ten times larger, off centre.
/// To write them again: <c>File.WriteAllBytes(path, TestPngEncoder.Encode(Scan(label), Width, Height))</c>.
/// </summary>
[Category("Unit")]
public class SampleFileTests
{
    private const int Width = 360, Height = 320;

    [TestCase(7)]
    [TestCase(2)]
    public void SampleFile_Decoded_IsItsMnistDigitDrawnAsAScan(int label)
    {
        var path = Path.Combine(RepoPaths.Root, "Mnist.Tests", "TestData", $"digit-{label}.png");

        using var decoded = ImageDecoder.Decode(File.ReadAllBytes(path), ImageLimits.Default);

        Assert.That((decoded.Width, decoded.Height), Is.EqualTo((Width, Height)));
        Assert.That(decoded.Pixels.ToArray(), Is.EqualTo(Scan(label)));
    }

    private static byte[] Scan(int label) =>
        DigitCanvas.BlackOnWhite(MnistTestDigits.Image(MnistTestDigits.FirstIndexOf(label)), 10, Width, Height, 50, 25);
}
