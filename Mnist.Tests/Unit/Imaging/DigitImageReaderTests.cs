using Mnist.Model.Imaging;

namespace Mnist.Tests.Unit.Imaging;

[Category("Unit")]
public class DigitImageReaderTests
{
    private static readonly DigitImageReader Reader = new(ImageLimits.Default);

    private static IEnumerable<int> Digits => Enumerable.Range(0, 12);

    [TestCaseSource(nameof(Digits))]
    public void ReadDigit_MnistDigitDrawnLargeBlackOnWhitePng_IsCloseToTheOriginal(int index)
    {
        var original = MnistTestDigits.Image(index);
        var png = TestPngEncoder.Encode(DigitCanvas.BlackOnWhite(original, 9, 400, 300, 30 + (index * 7), 20), 400, 300);
        var result = new byte[784];

        Reader.ReadDigit(png, result);

        AssertClose(result, original);
    }

    [TestCaseSource(nameof(Digits))]
    public void ReadDigit_MnistDigitDrawnLargeBlackOnWhiteJpeg_IsCloseToTheOriginal(int index)
    {
        var original = MnistTestDigits.Image(index);
        var picture = DigitCanvas.BlackOnWhite(original, 8, 320, 260, 50, 10 + index);
        var rgb = picture.SelectMany(p => new[] { p, p, p }).ToArray();
        var jpeg = TestJpegEncoder.EncodeRgb(rgb, 320, 260, quality: 80);
        var result = new byte[784];

        Reader.ReadDigit(jpeg, result);

        AssertClose(result, original);
    }

    [Test]
    public void ReadDigit_WhiteStrokesOnTransparentCanvas_IsCloseToTheOriginal()
    {
        var original = MnistTestDigits.Image(0);
        var ink = DigitCanvas.BlackOnWhite(original, 10, 300, 300, 10, 10).Select(p => (byte)(255 - p));
        var rgba = ink.SelectMany(alpha => new byte[] { 255, 255, 255, alpha }).ToArray();
        var result = new byte[784];

        Reader.ReadDigit(TestPngEncoder.Encode(rgba, 300, 300, TestPngEncoder.Rgba), result);

        AssertClose(result, original);
    }

    [TestCase("digit-7.png", 7)]
    [TestCase("digit-2.png", 2)]
    public void ReadDigit_SampleFile_MatchesItsMnistDigit(string file, int label)
    {
        var encoded = File.ReadAllBytes(Path.Combine(RepoPaths.Root, "Mnist.Tests", "TestData", file));
        var result = new byte[784];

        Reader.ReadDigit(encoded, result);

        AssertClose(result, MnistTestDigits.Image(MnistTestDigits.FirstIndexOf(label)));
    }

    [Test]
    public void ReadDigit_BlankPng_ThrowsNoDigit()
    {
        var png = TestPngEncoder.Encode(Enumerable.Repeat((byte)255, 64 * 64).ToArray(), 64, 64);

        Assert.Throws<NoDigitException>(() => Reader.ReadDigit(png, new byte[784]));
    }

    [Test]
    public void ReadDigit_DestinationNot784_ThrowsArgumentException()
    {
        var png = TestPngEncoder.Encode(MnistTestDigits.Image(0), 28, 28);

        Assert.Throws<ArgumentException>(() => Reader.ReadDigit(png, new byte[28]));
    }

    private static void AssertClose(byte[] actual, byte[] original)
    {
        // MNIST's own centring rounded the centre of mass to whole pixels; a digit whose mass sits near a half
        // pixel can legitimately land one pixel over, so compare at the best of the nine one-pixel shifts.
        var aligned = PixelComparison.BestAlignedWithinOnePixel(actual, original);
        var difference = PixelComparison.MeanAbsoluteDifference(aligned, original);
        var correlation = PixelComparison.Correlation(aligned, original);
        TestContext.Out.WriteLine($"mean |diff| {difference:F2}, correlation {correlation:F3}");
        Assert.That(difference, Is.LessThan(10));
        Assert.That(correlation, Is.GreaterThan(0.93));
    }
}
