using Mnist.Model.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace Mnist.Tests.Imaging;

/// <summary>Every format ImageSharp decodes is accepted, not only PNG and JPEG.</summary>
public class OtherFormatTests
{
    private static readonly object[] Encoders =
    [
        new object[] { "GIF", new GifEncoder() },
        new object[] { "BMP", new BmpEncoder() },
        new object[] { "TIFF", new TiffEncoder() },
        new object[] { "WebP lossless", new WebpEncoder { FileFormat = WebpFileFormatType.Lossless } },
        new object[] { "TGA", new TgaEncoder() },
    ];

    [TestCaseSource(nameof(Encoders))]
    public void Decode_LosslessGreyPicture_ReturnsTheSamePixels(string format, IImageEncoder encoder)
    {
        // Levels a GIF palette holds exactly: 16 greys.
        var pixels = Enumerable.Range(0, 24 * 16).Select(i => (byte)(i % 16 * 17)).ToArray();
        using var picture = Image.LoadPixelData<Rgb24>(pixels.SelectMany(p => new[] { p, p, p }).ToArray(), 24, 16);
        using var stream = new MemoryStream();
        picture.Save(stream, encoder);

        using var image = ImageDecoder.Decode(stream.ToArray(), ImageLimits.Default);

        Assert.That((image.Width, image.Height), Is.EqualTo((24, 16)), format);
        Assert.That(image.Pixels.ToArray(), Is.EqualTo(pixels), format);
    }

    [Test]
    public void Decode_GifOverTheLimit_ThrowsTooLarge()
    {
        using var picture = new Image<Rgb24>(50, 20);
        using var stream = new MemoryStream();
        picture.SaveAsGif(stream);

        var error = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(stream.ToArray(), new ImageLimits(40, 40)));

        Assert.That(error!.Message, Is.EqualTo("image is 50x20; at most 40x40 pixels are accepted"));
    }
}
