using System.Buffers;
using System.Runtime.InteropServices;

namespace Mnist.Model.Imaging;

/// <summary>
/// JPEG through TurboJPEG straight to grey. For YCbCr JPEGs grey is the Y channel, which the encoder computed
/// with BT.601 weights, so it is the same luma <see cref="GrayFlattener.Luma"/> computes for PNGs.
/// </summary>
internal static unsafe class JpegDecoder
{
    // TurboJPEG fails a decode that raised any libjpeg warning (truncated data, corrupt entropy segments);
    // stopping at the first one saves decoding the rest of a damaged file. Progressive files with an absurd
    // number of scans are refused (a known CPU-exhaustion trick).
    private const int Flags = TurboJpeg.FlagStopOnWarning | TurboJpeg.FlagLimitScans;

    public static GrayImage Decode(ReadOnlySpan<byte> jpeg, ImageLimits limits)
    {
        var handle = TurboJpeg.InitDecompress();
        if (handle == 0)
        {
            throw new InvalidOperationException("TurboJPEG could not create a decompressor (out of memory?)");
        }

        try
        {
            fixed (byte* data = jpeg)
            {
                var size = new CULong((nuint)jpeg.Length);
                if (TurboJpeg.DecompressHeader3(handle, data, size, out var width, out var height, out _, out var colorspace) != 0)
                {
                    throw new ImageDecodeException($"JPEG header is corrupt or truncated: {TurboJpeg.ErrorText(handle)}");
                }

                if (width <= 0 || height <= 0)
                {
                    throw new ImageDecodeException("JPEG holds no image (it is a tables-only stream)");
                }

                limits.EnsureWithin(width, height);
                if (colorspace is TurboJpeg.ColorspaceCmyk or TurboJpeg.ColorspaceYcck)
                {
                    throw new ImageDecodeException("JPEG is CMYK, which is not supported; save it as RGB or greyscale");
                }

                return DecodePixels(handle, data, size, width, height);
            }
        }
        finally
        {
            _ = TurboJpeg.Destroy(handle);
        }
    }

    private static GrayImage DecodePixels(nint handle, byte* data, CULong size, int width, int height)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(width * height);
        fixed (byte* pixels = buffer)
        {
            if (TurboJpeg.Decompress2(handle, data, size, pixels, width, width, height, TurboJpeg.PixelFormatGray, Flags) != 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw new ImageDecodeException($"JPEG is corrupt or truncated: {TurboJpeg.ErrorText(handle)}");
            }
        }

        return new GrayImage(width, height, buffer);
    }
}
