namespace Mnist.Tests.Unit.Imaging;

/// <summary>Writes Mnist.Tests/TestData/digit-7.png and digit-2.png: MNIST test digits as a user's scan would be.</summary>
[Explicit("writes sample files into the repository")]
[Category("Unit")]
public class SampleFileWriter
{
    [TestCase(7)]
    [TestCase(2)]
    public void Write_SampleDigit(int label)
    {
        var picture = DigitCanvas.BlackOnWhite(MnistTestDigits.Image(MnistTestDigits.FirstIndexOf(label)), 10, 360, 320, 50, 25);
        var path = Path.Combine(RepoPaths.Root, "Mnist.Tests", "TestData", $"digit-{label}.png");

        File.WriteAllBytes(path, TestPngEncoder.Encode(picture, 360, 320));

        Assert.That(new FileInfo(path).Length, Is.GreaterThan(100));
    }
}
