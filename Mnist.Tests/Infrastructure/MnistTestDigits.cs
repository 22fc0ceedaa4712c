using System.Buffers.Binary;
using System.IO.Compression;

namespace Mnist.Tests;

/// <summary>The first MNIST test digits and their labels, read once (a minimal gzip IDX reader for tests).</summary>
internal static class MnistTestDigits
{
    public const int Count = 200;
    private const int Side = 28, Pixels = Side * Side;

    private static readonly Lazy<(byte[] Images, byte[] Labels)> Data = new(Load);

    /// <summary>The 784 pixels of test digit <paramref name="index"/>.</summary>
    public static byte[] Image(int index) => Data.Value.Images.AsSpan(index * Pixels, Pixels).ToArray();

    public static int Label(int index) => Data.Value.Labels[index];

    public static int FirstIndexOf(int label) => Array.IndexOf(Data.Value.Labels, (byte)label);

    private static (byte[], byte[]) Load()
    {
        var images = ReadIdx(Path.Combine(RepoPaths.MnistData, "t10k-images-idx3-ubyte.gz"), 0x803, 16, Pixels);
        var labels = ReadIdx(Path.Combine(RepoPaths.MnistData, "t10k-labels-idx1-ubyte.gz"), 0x801, 8, 1);
        return (images, labels);
    }

    private static byte[] ReadIdx(string path, int magic, int headerLength, int itemLength)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        var header = new byte[headerLength];
        gzip.ReadExactly(header);
        if (BinaryPrimitives.ReadInt32BigEndian(header) != magic)
        {
            throw new InvalidDataException($"{path}: magic is not 0x{magic:X}");
        }

        var items = new byte[Count * itemLength];
        gzip.ReadExactly(items);
        return items;
    }
}
