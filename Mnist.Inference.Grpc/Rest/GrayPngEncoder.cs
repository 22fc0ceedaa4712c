using System.Buffers.Binary;
using System.IO.Compression;

namespace Mnist.Inference.Grpc.Rest;

/// <summary>
/// Writes 8-bit greyscale PNGs (IHDR, one IDAT, IEND; filter 0 on every row), enough to show MNIST samples
/// in a browser. The product otherwise only decodes images.
/// </summary>
internal static class GrayPngEncoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (pixels.Length != width * height)
        {
            throw new ArgumentException($"{width}x{height} grey needs {width * height} bytes, not {pixels.Length}.", nameof(pixels));
        }

        using var png = new MemoryStream();
        png.Write(Signature);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bit depth; colour type 0 (grey), deflate, filter method 0, no interlace follow as zeros
        WriteChunk(png, "IHDR"u8, header);
        WriteChunk(png, "IDAT"u8, Deflate(pixels, width, height));
        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    /// <summary>Writes length, type, data and the CRC over type and data.</summary>
    internal static void WriteChunk(Stream png, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        png.Write(type);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32.Append(Crc32.Append(0, type), data));
        png.Write(number);
    }

    private static byte[] Deflate(ReadOnlySpan<byte> pixels, int width, int height)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            for (var y = 0; y < height; y++)
            {
                zlib.WriteByte(0);
                zlib.Write(pixels.Slice(y * width, width));
            }
        }

        return compressed.ToArray();
    }
}
