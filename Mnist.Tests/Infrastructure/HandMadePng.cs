using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace Mnist.Tests;

/// <summary>
/// Builds PNG files byte by byte (signature, IHDR, IDAT, IEND with real CRCs) to lie about sizes, which no encoder
/// would write; pictures that tell the truth come from <see cref="TestPngEncoder"/>.
/// </summary>
internal static class HandMadePng
{
    /// <summary>An 8-bit greyscale PNG whose header claims <paramref name="width"/> x <paramref name="height"/>
    /// but whose IDAT holds only <paramref name="rows"/> (each row prefixed with filter type 0).</summary>
    public static byte[] Gray8(uint width, uint height, byte[][] rows)
    {
        using var output = new MemoryStream();
        output.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);

        var header = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(header, width);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth; colour type 0 (grey), compression, filter, interlace all 0
        WriteChunk(output, "IHDR", header);

        using var raw = new MemoryStream();
        using (var zlib = new ZLibStream(raw, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            foreach (var row in rows)
            {
                zlib.WriteByte(0);
                zlib.Write(row);
            }
        }

        WriteChunk(output, "IDAT", raw.ToArray());
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    public static void WriteChunk(Stream output, string type, byte[] data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)data.Length);
        output.Write(word);
        var typed = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type, typed);
        data.CopyTo(typed, 4);
        output.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.HashToUInt32(typed));
        output.Write(word);
    }
}
