using Mnist.Model.Imaging;

namespace Mnist.Tests.Unit.Imaging;

/// <summary>The pixel budget beside the side bound: what a decode may cost is known from the header.</summary>
[Category("Unit")]
public class PixelBudgetTests
{
    [Test]
    public void Decode_TwelveMegapixelPhotoSizedPng_IsRead()
    {
        var rows = Enumerable.Range(0, 3024).Select(_ => new byte[4032]).ToArray();
        rows[1500].AsSpan(2000, 30).Fill(255);
        var png = HandMadePng.Gray8(4032, 3024, rows);

        using var image = ImageDecoder.Decode(png, ImageLimits.Default);

        Assert.That((image.Width, image.Height), Is.EqualTo((4032, 3024)));
        Assert.That(image.Pixels[(1500 * 4032) + 2010], Is.EqualTo(255));
    }

    [Test]
    public void Decode_TinyPngClaiming4096Squared_ThrowsTooLargeSayingTheLimit()
    {
        var png = HandMadePng.Gray8(4096, 4096, [new byte[4096]]);

        var error = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(png, ImageLimits.Default));

        Assert.That(error!.Message, Is.EqualTo("image is 4096x4096; at most 12582912 pixels in all are accepted (16777216 sent)"));
    }

    [TestCase(0x11, "at most 5392676 pixels are accepted for one (12000000 sent)")]   // 4:4:4: 7/3 the weight
    [TestCase(0x22, "at most 9437184 pixels are accepted for one (12000000 sent)")]   // 4:2:0: 4/3
    public void Decode_ProgressiveColourJpegOf12Megapixels_ThrowsTooLargeSayingItsLimit(byte lumaSampling, string limit)
    {
        var jpeg = JpegHeader(0xC2, 4000, 3000, lumaSampling);

        var error = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(jpeg, ImageLimits.Default));

        Assert.That(error!.Message, Does.StartWith("image is 4000x3000; a progressive JPEG").And.Contain(limit));
    }

    [Test]
    public void Decode_BaselineJpegOf12Megapixels_IsRead()
    {
        var jpeg = JpegHeader(0xC0, 4000, 3000, 0x11);

        // Decoded a stripe at a time, a baseline JPEG weighs its own pixels: the same header as above is read.
        using var image = ImageDecoder.Decode(jpeg, ImageLimits.Default);

        Assert.That((image.Width, image.Height), Is.EqualTo((4000, 3000)));
    }

    // SOI, a frame header (SOF0 or SOF2) of three components, a scan header and EOI: enough for the size checks.
    private static byte[] JpegHeader(byte frameMarker, ushort width, ushort height, byte lumaSampling)
    {
        byte[] frame = [0xFF, frameMarker, 0, 17, 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3,
            1, lumaSampling, 0, 2, 0x11, 1, 3, 0x11, 1];
        byte[] scan = [0xFF, 0xDA, 0, 12, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 63, 0];
        return [0xFF, 0xD8, .. frame, .. scan, 0xFF, 0xD9];
    }

    [Test]
    public void Constructor_PixelBudgetBelowOne_Throws()
    {
        Assert.That(() => new ImageLimits(maxPixels: 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
