using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace Mnist.Tests;

/// <summary>Encodes test pictures as JPEG with ImageSharp's encoder (the product only decodes).</summary>
internal static class TestJpegEncoder
{
    public static byte[] EncodeGray(ReadOnlySpan<byte> pixels, int width, int height, int quality = 90) =>
        Save(Image.LoadPixelData<L8>(pixels, width, height), JpegColorType.Luminance, quality);

    public static byte[] EncodeRgb(ReadOnlySpan<byte> pixels, int width, int height, int quality = 90, bool subsample = true) =>
        Save(Image.LoadPixelData<Rgb24>(pixels, width, height), subsample ? JpegColorType.YCbCrRatio420 : JpegColorType.YCbCrRatio444, quality);

    public static byte[] EncodeCmyk(ReadOnlySpan<byte> rgb, int width, int height) =>
        Save(Image.LoadPixelData<Rgb24>(rgb, width, height), JpegColorType.Cmyk, 90);

    private static byte[] Save(Image image, JpegColorType colorType, int quality)
    {
        using (image)
        {
            using var stream = new MemoryStream();
            image.SaveAsJpeg(stream, new JpegEncoder { ColorType = colorType, Quality = quality });
            return stream.ToArray();
        }
    }
}
