using Mnist.Model.Imaging;

namespace Mnist.Tests.Unit.Imaging;

[Category("Unit")]
public class JpegDecodingTests
{
    [Test]
    public void Decode_GrayJpeg_ReturnsNearlyTheSamePixels()
    {
        var pixels = Gradient(64, 48);

        using var image = ImageDecoder.Decode(TestJpegEncoder.EncodeGray(pixels, 64, 48, quality: 95), ImageLimits.Default);

        Assert.That((image.Width, image.Height), Is.EqualTo((64, 48)));
        Assert.That(PixelComparison.MeanAbsoluteDifference(image.Pixels, pixels), Is.LessThan(2));
    }

    [Test]
    public void Decode_ColourJpeg_GreyIsBt709Luma()
    {
        var rgb = new byte[16 * 16 * 3];
        for (var i = 0; i < 256; i++)
        {
            (rgb[3 * i], rgb[(3 * i) + 1], rgb[(3 * i) + 2]) = ((byte)200, (byte)100, (byte)50);
        }

        using var image = ImageDecoder.Decode(TestJpegEncoder.EncodeRgb(rgb, 16, 16, quality: 100), ImageLimits.Default);

        Assert.That(image.Pixels.ToArray(), Is.All.InRange(116, 120));
    }

    [Test]
    public void Decode_CmykJpeg_GreyIsItsLuma()
    {
        var rgb = Enumerable.Repeat(new byte[] { 200, 100, 50 }, 16 * 16).SelectMany(p => p).ToArray();

        using var image = ImageDecoder.Decode(TestJpegEncoder.EncodeCmyk(rgb, 16, 16), ImageLimits.Default);

        Assert.That(image.Pixels.ToArray(), Is.All.InRange(112, 124));
    }

    [Test]
    public void Decode_JpegOverTheLimit_ThrowsTooLarge()
    {
        var jpeg = TestJpegEncoder.EncodeGray(new byte[33 * 8], 33, 8);

        var error = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(jpeg, new ImageLimits(32, 32)));

        Assert.That(error!.Message, Is.EqualTo("image is 33x8; at most 32x32 pixels are accepted"));
    }

    [Test]
    public void Decode_JpegHeaderClaiming60000Squared_ThrowsTooLargeBeforeDecoding()
    {
        var jpeg = TestJpegEncoder.EncodeGray(new byte[16 * 16], 16, 16);
        var sof = IndexOfStartOfFrame(jpeg);
        jpeg[sof + 5] = jpeg[sof + 7] = 60000 >> 8;
        jpeg[sof + 6] = jpeg[sof + 8] = 60000 & 0xFF;

        var error = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(jpeg, ImageLimits.Default));

        Assert.That((error!.Width, error.Height), Is.EqualTo((60000L, 60000L)));
    }

    internal static byte[] Gradient(int width, int height) =>
        Enumerable.Range(0, width * height).Select(i => (byte)((i % width * 3) + (i / width * 2))).ToArray();

    private static int IndexOfStartOfFrame(byte[] jpeg)
    {
        for (var i = 2; i + 1 < jpeg.Length; i++)
        {
            if (jpeg[i] == 0xFF && jpeg[i + 1] is 0xC0 or 0xC1 or 0xC2)
            {
                return i;
            }
        }

        throw new InvalidDataException("no SOF marker");
    }
}
