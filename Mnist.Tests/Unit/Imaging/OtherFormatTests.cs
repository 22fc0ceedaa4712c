using Mnist.Model.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;

namespace Mnist.Tests.Unit.Imaging;

/// <summary>Only PNG and JPEG are decoded; a file in another format is refused by name, with the formats that are accepted.</summary>
[Category("Unit")]
public class OtherFormatTests
{
    private static readonly object[] Encoders =
    [
        new object[] { "GIF", new GifEncoder(), "GIF images are not accepted; send a PNG or JPEG file" },
        new object[] { "BMP", new BmpEncoder(), "BMP images are not accepted; send a PNG or JPEG file" },
        new object[] { "TIFF", new TiffEncoder(), "TIFF images are not accepted; send a PNG or JPEG file" },
        new object[] { "WebP", new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }, "WebP images are not accepted; send a PNG or JPEG file" },
    ];

    [TestCaseSource(nameof(Encoders))]
    public void Decode_PictureInAFormatThatIsOff_ThrowsNamingPngAndJpeg(string format, IImageEncoder encoder, string message)
    {
        using var picture = new Image<Rgb24>(24, 16);
        using var stream = new MemoryStream();
        picture.Save(stream, encoder);

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(stream.ToArray(), ImageLimits.Default));

        Assert.That(error!.Message, Is.EqualTo(message), format);
    }

    [Test]
    public void Decode_Tga_ThrowsNotAnImage()
    {
        // TGA has no signature: it is bytes no enabled decoder recognises.
        using var picture = new Image<Rgb24>(24, 16);
        using var stream = new MemoryStream();
        picture.Save(stream, new TgaEncoder());

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(stream.ToArray(), ImageLimits.Default));

        Assert.That(error!.Message, Does.StartWith("not an image").And.EndWith("send a PNG or JPEG file"));
    }
}
