using Mnist.Model.Imaging;

namespace Mnist.Tests.Unit.Imaging;

[Category("Unit")]
public class DigitPreprocessorTests
{
    [Test]
    public void ToMnist_28x28WithMnistPolarity_CopiesItUnchanged()
    {
        var digit = MnistTestDigits.Image(3);
        var result = new byte[784];

        DigitPreprocessor.ToMnist(digit, 28, 28, result);

        Assert.That(result, Is.EqualTo(digit));
    }

    [Test]
    public void ToMnist_28x28BlackOnWhite_IsInvertedAndStaysCloseToTheOriginal()
    {
        var digit = MnistTestDigits.Image(3);
        var inverted = digit.Select(p => (byte)(255 - p)).ToArray();
        var result = new byte[784];

        DigitPreprocessor.ToMnist(inverted, 28, 28, result);

        Assert.That(PixelComparison.MeanAbsoluteDifference(PixelComparison.BestAlignedWithinOnePixel(result, digit), digit), Is.LessThan(10));
        Assert.That(result[0], Is.Zero);
    }

    [Test]
    public void ToMnist_BlackBarOnWhite_BecomesAWhiteBarOnBlack()
    {
        var picture = Filled(100, 100, 255);
        FillRect(picture, 100, left: 40, top: 10, width: 20, height: 80, value: 0);
        var result = new byte[784];

        DigitPreprocessor.ToMnist(picture, 100, 100, result);

        // 20x80 scales to 5x20; centred at index 14: columns 12..16; mass row 9.5 rounds the shift up to 5: rows 5..24.
        Assert.That(PixelComparison.InkBounds(result), Is.EqualTo((12, 5, 16, 24)));
        Assert.That(result[(14 * 28) + 14], Is.EqualTo(255));
        Assert.That(result[0], Is.Zero);
        Assert.That(result.Count(p => p == 255), Is.EqualTo(5 * 20));
    }

    [Test]
    public void ToMnist_LargeOffCentreDigit_IsCroppedScaledInto20x20AndCentredByMass()
    {
        var picture = DigitCanvas.BlackOnWhite(MnistTestDigits.Image(0), scale: 12, width: 900, height: 700, left: 600, top: 20);
        var result = new byte[784];

        DigitPreprocessor.ToMnist(picture, 900, 700, result);

        var (left, top, right, bottom) = PixelComparison.InkBounds(result);
        Assert.That(Math.Max(right - left + 1, bottom - top + 1), Is.InRange(19, 20));
        var (x, y) = PixelComparison.CentreOfMass(result);
        Assert.That(x, Is.EqualTo(14).Within(1));
        Assert.That(y, Is.EqualTo(14).Within(1));
    }

    [Test]
    public void ToMnist_WideStroke_KeepsItsAspectRatio()
    {
        var picture = Filled(300, 200, 0);
        FillRect(picture, 300, left: 10, top: 90, width: 200, height: 50, value: 230);
        var result = new byte[784];

        DigitPreprocessor.ToMnist(picture, 300, 200, result);

        var (left, top, right, bottom) = PixelComparison.InkBounds(result);
        Assert.That((right - left + 1, bottom - top + 1), Is.EqualTo((20, 5)));
        Assert.That(result.Max(), Is.EqualTo(255), "the strongest ink is stretched to full intensity");
    }

    [Test]
    public void ToMnist_MassInOneCorner_ShiftIsClampedSoTheDigitStaysInside()
    {
        // A faint 100x100 square outline with a heavy blob in its top-left corner: centring the mass alone
        // would push the square's far sides off the field.
        var picture = Filled(200, 200, 0);
        FillRect(picture, 200, 50, 50, 100, 3, 80);
        FillRect(picture, 200, 50, 50, 3, 100, 80);
        FillRect(picture, 200, 50, 147, 100, 3, 80);
        FillRect(picture, 200, 147, 50, 3, 100, 80);
        FillRect(picture, 200, 50, 50, 30, 30, 255);
        var result = new byte[784];

        DigitPreprocessor.ToMnist(picture, 200, 200, result);

        Assert.That(PixelComparison.InkBounds(result), Is.EqualTo((8, 8, 27, 27)));
    }

    [Test]
    public void ToMnist_FaintNoiseAroundTheDigit_DoesNotWidenTheBox()
    {
        var picture = Filled(200, 200, 250);
        var random = new Random(1);
        for (var i = 0; i < picture.Length; i++)
        {
            picture[i] = (byte)(250 - random.Next(0, 15));
        }

        FillRect(picture, 200, left: 90, top: 40, width: 20, height: 120, value: 10);
        var result = new byte[784];

        DigitPreprocessor.ToMnist(picture, 200, 200, result);

        var (left, top, right, bottom) = PixelComparison.InkBounds(result);
        Assert.That((right - left + 1, bottom - top + 1), Is.EqualTo((3, 20)));
    }

    [TestCase(255)]
    [TestCase(0)]
    [TestCase(128)]
    public void ToMnist_BlankPicture_ThrowsNoDigit(int shade)
    {
        var picture = Filled(50, 40, (byte)shade);
        picture[1000] = (byte)Math.Clamp(shade + 20, 0, 255);

        var error = Assert.Throws<NoDigitException>(() => DigitPreprocessor.ToMnist(picture, 50, 40, new byte[784]));

        Assert.That(error!.Message, Does.StartWith("image contains no digit: the picture is nearly uniform"));
    }

    [Test]
    public void ToMnist_WrongSizes_ThrowArgumentException()
    {
        Assert.Throws<ArgumentException>(() => DigitPreprocessor.ToMnist(new byte[10], 3, 3, new byte[784]));
        Assert.Throws<ArgumentException>(() => DigitPreprocessor.ToMnist(new byte[9], 3, 3, new byte[783]));
        Assert.Throws<ArgumentOutOfRangeException>(() => DigitPreprocessor.ToMnist([], 0, 0, new byte[784]));
    }

    private static byte[] Filled(int width, int height, byte value) => Enumerable.Repeat(value, width * height).ToArray();

    private static void FillRect(byte[] picture, int stride, int left, int top, int width, int height, byte value)
    {
        for (var y = top; y < top + height; y++)
        {
            picture.AsSpan((y * stride) + left, width).Fill(value);
        }
    }
}
