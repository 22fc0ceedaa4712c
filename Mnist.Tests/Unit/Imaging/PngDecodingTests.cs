using Mnist.Model.Imaging;

namespace Mnist.Tests.Unit.Imaging;

[Category("Unit")]
public class PngDecodingTests
{
    [Test]
    public void Decode_GrayPng_ReturnsTheSamePixels()
    {
        var pixels = Enumerable.Range(0, 37 * 23).Select(i => (byte)(i * 7)).ToArray();

        using var image = ImageDecoder.Decode(TestPngEncoder.Encode(pixels, 37, 23), ImageLimits.Default);

        Assert.That((image.Width, image.Height), Is.EqualTo((37, 23)));
        Assert.That(image.Pixels.ToArray(), Is.EqualTo(pixels));
    }

    [TestCase(255, 0, 0, 54)]
    [TestCase(0, 255, 0, 182)]
    [TestCase(0, 0, 255, 18)]
    [TestCase(200, 100, 50, 118)]
    public void Decode_RgbPng_GreyIsBt709Luma(int r, int g, int b, int expected)
    {
        var pixels = Enumerable.Repeat(new[] { (byte)r, (byte)g, (byte)b }, 4).SelectMany(p => p).ToArray();

        using var image = ImageDecoder.Decode(TestPngEncoder.Encode(pixels, 2, 2, TestPngEncoder.Rgb), ImageLimits.Default);

        Assert.That(image.Pixels.ToArray(), Is.All.EqualTo(expected));
    }

    [TestCase(0)]
    [TestCase(255)]
    public void Decode_StrokesOnTransparentCanvas_AlphaBecomesLightInk(int strokeColour)
    {
        // 5x5 transparent canvas with a stroke of any colour down the middle column, anti-aliased to 50% at the ends.
        var rgba = new byte[5 * 5 * 4];
        for (var y = 0; y < 5; y++)
        {
            var p = ((y * 5) + 2) * 4;
            rgba[p] = rgba[p + 1] = rgba[p + 2] = (byte)strokeColour;
            rgba[p + 3] = y is 0 or 4 ? (byte)128 : (byte)255;
        }

        using var image = ImageDecoder.Decode(TestPngEncoder.Encode(rgba, 5, 5, TestPngEncoder.Rgba), ImageLimits.Default);

        var column = Enumerable.Range(0, 5).Select(y => image.Pixels[(y * 5) + 2]).ToArray();
        Assert.That(column, Is.EqualTo(new byte[] { 128, 255, 255, 255, 128 }));
        Assert.That(image.Pixels[0], Is.Zero);
    }

    [Test]
    public void Decode_OpaqueBackgroundWithTranslucentPixel_CompositesOntoWhite()
    {
        // Grey+alpha: opaque white paper, one black pixel at 50% opacity, one opaque black pixel.
        var ga = new byte[3 * 3 * 2];
        for (var i = 0; i < 9; i++)
        {
            ga[2 * i] = 255;
            ga[(2 * i) + 1] = 255;
        }

        ga[2 * 4] = 0;
        ga[(2 * 4) + 1] = 128;
        ga[2 * 5] = 0;

        using var image = ImageDecoder.Decode(TestPngEncoder.Encode(ga, 3, 3, TestPngEncoder.GrayAlpha), ImageLimits.Default);

        Assert.That(image.Pixels[0], Is.EqualTo(255));
        Assert.That(image.Pixels[4], Is.EqualTo(127));
        Assert.That(image.Pixels[5], Is.Zero);
    }

    [Test]
    public void Decode_HandMadePng_Decodes()
    {
        // Validates HandMadePng, so the oversized-header tests below are refused for their size, not malformation.
        var png = HandMadePng.Gray8(3, 2, [[1, 2, 3], [4, 5, 6]]);

        using var image = ImageDecoder.Decode(png, ImageLimits.Default);

        Assert.That(image.Pixels.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3, 4, 5, 6 }));
    }

    [Test]
    public void Decode_PngExactlyAtTheLimit_Decodes()
    {
        var png = TestPngEncoder.Encode(new byte[40 * 30], 40, 30);

        using var image = ImageDecoder.Decode(png, new ImageLimits(40, 30));

        Assert.That((image.Width, image.Height), Is.EqualTo((40, 30)));
    }

    [TestCase(41, 30)]
    [TestCase(40, 31)]
    public void Decode_PngOverTheLimit_ThrowsTooLarge(int width, int height)
    {
        var png = TestPngEncoder.Encode(new byte[width * height], width, height);

        var error = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(png, new ImageLimits(40, 30)));

        Assert.That(error!.Message, Is.EqualTo($"image is {width}x{height}; at most 40x30 pixels are accepted"));
    }

    [Test]
    public void Dispose_ThenPixels_ThrowsObjectDisposed()
    {
        var image = ImageDecoder.Decode(TestPngEncoder.Encode(new byte[4], 2, 2), ImageLimits.Default);

        image.Dispose();

        Assert.Throws<ObjectDisposedException>(() => _ = image.Pixels.Length);
    }
}
