using System.Runtime.InteropServices;
using Mnist.Model.Imaging;

namespace Mnist.Tests;

/// <summary>Encodes test pictures with libpng's simplified write API (the product only decodes).</summary>
internal static unsafe partial class TestPngEncoder
{
    public const uint Gray = 0, GrayAlpha = 1, Rgb = 2, Rgba = 3;

    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, uint format = Gray)
    {
        var channels = (int)(((format & 2) != 0 ? 3 : 1) + (format & 1));
        if (pixels.Length != width * height * channels)
        {
            throw new ArgumentException($"expected {width * height * channels} bytes for format {format}");
        }

        var image = new PngImage { Version = PngImage.Version1, Width = (uint)width, Height = (uint)height, Format = format };
        fixed (byte* source = pixels)
        {
            nuint size = 0;
            if (WriteToMemory(&image, null, ref size, 0, source, width * channels, null) == 0)
            {
                throw new InvalidOperationException("png_image_write_to_memory (size) failed: " + image.MessageText);
            }

            var png = new byte[size];
            fixed (byte* destination = png)
            {
                if (WriteToMemory(&image, destination, ref size, 0, source, width * channels, null) == 0)
                {
                    throw new InvalidOperationException("png_image_write_to_memory failed: " + image.MessageText);
                }
            }

            return png.AsSpan(0, (int)size).ToArray();
        }
    }

    [LibraryImport("libpng16.so.16", EntryPoint = "png_image_write_to_memory")]
    private static partial int WriteToMemory(
        PngImage* image, byte* memory, ref nuint memoryBytes, int convertTo8Bit, byte* buffer, int rowStride, void* colormap);
}
