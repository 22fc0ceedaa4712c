using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Mnist.Tests;

/// <summary>Encodes test pictures as PNG with ImageSharp's encoder (the product only decodes).</summary>
internal static class TestPngEncoder
{
    public const uint Gray = 0, GrayAlpha = 1, Rgb = 2, Rgba = 3;

    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, uint format = Gray)
    {
        var channels = (int)(((format & 2) != 0 ? 3 : 1) + (format & 1));
        if (pixels.Length != width * height * channels)
        {
            throw new ArgumentException($"expected {width * height * channels} bytes for format {format}");
        }

        return format switch
        {
            Gray => Save(Image.LoadPixelData<L8>(pixels, width, height), PngColorType.Grayscale),
            GrayAlpha => Save(Image.LoadPixelData<La16>(pixels, width, height), PngColorType.GrayscaleWithAlpha),
            Rgb => Save(Image.LoadPixelData<Rgb24>(pixels, width, height), PngColorType.Rgb),
            _ => Save(Image.LoadPixelData<Rgba32>(pixels, width, height), PngColorType.RgbWithAlpha),
        };
    }

    private static byte[] Save(Image image, PngColorType colorType)
    {
        using (image)
        {
            using var stream = new MemoryStream();
            image.SaveAsPng(stream, new PngEncoder { ColorType = colorType, BitDepth = PngBitDepth.Bit8 });
            return stream.ToArray();
        }
    }
}
