using System.Buffers.Binary;
using System.IO.Compression;

namespace Mnist.Tests;

/// <summary>A minimal reader of the shipped gzip IDX files for engine tests (the product reader lives in Mnist.Model).</summary>
internal static class MnistTestData
{
    /// <summary>The first <paramref name="count"/> images (784 bytes each) and labels of "train" or "t10k".</summary>
    public static (byte[] Pixels, byte[] Labels) Load(string set, int count)
    {
        var pixels = ReadIdx(Path.Combine(RepoPaths.MnistData, $"{set}-images-idx3-ubyte.gz"), 0x803, count, 784);
        var labels = ReadIdx(Path.Combine(RepoPaths.MnistData, $"{set}-labels-idx1-ubyte.gz"), 0x801, count, 1);
        return (pixels, labels);
    }

    private static byte[] ReadIdx(string path, int magic, int count, int itemSize)
    {
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        Span<byte> header = stackalloc byte[8];
        stream.ReadExactly(header);
        if (BinaryPrimitives.ReadInt32BigEndian(header) != magic || BinaryPrimitives.ReadInt32BigEndian(header[4..]) < count)
        {
            throw new InvalidDataException($"{path}: unexpected IDX header.");
        }

        if (magic == 0x803)
        {
            stream.ReadExactly(stackalloc byte[8]); // rows, columns: always 28x28
        }

        var data = new byte[count * itemSize];
        stream.ReadExactly(data);
        return data;
    }
}
