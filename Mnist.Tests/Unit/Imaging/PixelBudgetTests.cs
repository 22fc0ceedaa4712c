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

    [Test]
    public void Constructor_PixelBudgetBelowOne_Throws()
    {
        Assert.That(() => new ImageLimits(maxPixels: 0), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
