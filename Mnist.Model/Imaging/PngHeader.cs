using System.Buffers.Binary;

namespace Mnist.Model.Imaging;

/// <summary>
/// Reads the dimensions from a PNG's IHDR chunk (always first, at a fixed offset) so the size limit is enforced
/// before libpng sees the data at all.
/// </summary>
internal static class PngHeader
{
    // Signature (8), IHDR length (4), "IHDR" (4), 13 bytes of fields, CRC (4).
    public const int Length = 33;

    public static (uint Width, uint Height) ReadDimensions(ReadOnlySpan<byte> png)
    {
        if (png.Length < Length)
        {
            throw new ImageDecodeException(
                $"PNG is truncated: {png.Length} bytes, but its header alone takes {Length}");
        }

        var chunkType = png.Slice(12, 4);
        if (BinaryPrimitives.ReadUInt32BigEndian(png[8..]) != 13 || !chunkType.SequenceEqual("IHDR"u8))
        {
            throw new ImageDecodeException("PNG is corrupt: it does not start with a valid IHDR header chunk");
        }

        return (BinaryPrimitives.ReadUInt32BigEndian(png[16..]), BinaryPrimitives.ReadUInt32BigEndian(png[20..]));
    }
}
