using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Mnist.Model.Data;

/// <summary>
/// Reads an IDX file of unsigned bytes (LeCun's MNIST format), gzip-compressed or not: big-endian magic
/// 0x000008NN (NN = number of dimensions), big-endian int32 dimensions, then the data, row-major.
/// </summary>
internal static class IdxReader
{
    public const int ImagesMagic = 0x00000803;
    public const int LabelsMagic = 0x00000801;

    /// <summary>Upper bound on items, so a corrupt header cannot make us reserve absurd amounts of memory.</summary>
    public const int MaxItems = 10_000_000;

    /// <summary>Reads <paramref name="path"/>, requiring <paramref name="magic"/> and the per-item shape <paramref name="itemShape"/>.</summary>
    public static IdxFile Read(string path, int magic, int[] itemShape, string what)
    {
        byte[] raw;
        try
        {
            raw = File.ReadAllBytes(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new MnistDataException($"Cannot read the MNIST {what} file {path}: {error.Message}", path, error);
        }

        var source = new MnistDataFile(Path.GetFileName(path), Convert.ToHexStringLower(SHA256.HashData(raw)));
        var compressed = raw.Length >= 2 && raw[0] == 0x1f && raw[1] == 0x8b;
        using Stream content = compressed
            ? new GZipStream(new MemoryStream(raw), CompressionMode.Decompress)
            : new MemoryStream(raw);
        try
        {
            return Parse(content, path, magic, itemShape, what, source);
        }
        catch (InvalidDataException error)
        {
            throw new MnistDataException($"The MNIST {what} file {path} is not a valid gzip file: {error.Message}", path, error);
        }
    }

    private static IdxFile Parse(Stream content, string path, int magic, int[] itemShape, string what, MnistDataFile source)
    {
        var header = new byte[4 * (2 + itemShape.Length)];
        var got = content.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got < 4)
        {
            throw Fail(path, what, $"it is too short ({got} bytes) to hold an IDX header");
        }

        var actualMagic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (actualMagic != magic)
        {
            throw Fail(path, what, $"magic number 0x{actualMagic:x8} is not the IDX {what} magic 0x{magic:x8}");
        }

        if (got < header.Length)
        {
            throw Fail(path, what, $"truncated: the header needs {header.Length} bytes, the file has {got}");
        }

        var count = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        if (count is < 0 or > MaxItems)
        {
            throw Fail(path, what, $"item count {count} is outside 0..{MaxItems}");
        }

        var itemSize = 1;
        for (var i = 0; i < itemShape.Length; i++)
        {
            var dim = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8 + (4 * i)));
            if (dim != itemShape[i])
            {
                throw Fail(path, what, $"dimensions are {DescribeDims(header, itemShape.Length)}, expected {string.Join("x", itemShape)}");
            }

            itemSize *= dim;
        }

        var expected = (long)count * itemSize;
        var data = ReadExactly(content, expected, out var read);
        if (read < expected)
        {
            throw Fail(path, what, $"truncated: the header announces {count} items ({expected} bytes of data) but only {read} bytes follow");
        }

        if (content.ReadByte() >= 0)
        {
            throw Fail(path, what, $"unexpected bytes after the {count} items the header announces");
        }

        return new IdxFile(source, count, itemShape, data);
    }

    // Grows with the data actually present, so a lying header cannot allocate more than the file holds.
    private static byte[] ReadExactly(Stream content, long expected, out long read)
    {
        var buffer = new byte[Math.Min(expected, 1 << 20)];
        read = 0;
        while (read < expected)
        {
            if (read == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(expected, (long)buffer.Length * 2));
            }

            var n = content.Read(buffer, (int)read, buffer.Length - (int)read);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return buffer;
    }

    private static string DescribeDims(byte[] header, int rank) =>
        string.Join("x", Enumerable.Range(0, rank).Select(i => BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8 + (4 * i)))));

    private static MnistDataException Fail(string path, string what, string problem) =>
        new($"The MNIST {what} file {path} is invalid: {problem}.", path);
}
