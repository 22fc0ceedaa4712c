using Mnist.Model.Network;

namespace Mnist.Tests.Unit.Weights;

/// <summary>
/// State dicts written without TorchSharp, in the layout TorchSharp's exportsd.py writes from PyTorch
/// (entry count, then per entry: name, dtype code, rank, dims, raw little-endian data; integers as LEB128),
/// for compatibility tests and for crafting broken files.
/// </summary>
internal static class StateDictSamples
{
    public const int Float32 = 6, Float64 = 7;

    public static readonly (string Name, long[] Shape)[] CnnShapes =
    [
        ("conv1.weight", [32, 1, 3, 3]),
        ("conv1.bias", [32]),
        ("conv2.weight", [64, 32, 3, 3]),
        ("conv2.bias", [64]),
        ("fc1.weight", [128, 9216]),
        ("fc1.bias", [128]),
        ("fc2.weight", [10, 128]),
        ("fc2.bias", [10]),
    ];

    /// <summary>An entry of a file: its name, dtype code, shape and raw data.</summary>
    public sealed record Entry(string Name, int DType, long[] Shape, byte[] Data)
    {
        public static Entry Floats(string name, long[] shape, float[] values) =>
            new(name, Float32, shape, values.SelectMany(BitConverter.GetBytes).ToArray());
    }

    /// <summary>The MNIST CNN with deterministic, distinct values (value i of entry k = k + i * 1e-6).</summary>
    public static List<Entry> Cnn()
    {
        var entries = new List<Entry>();
        for (var k = 0; k < CnnShapes.Length; k++)
        {
            var (name, shape) = CnnShapes[k];
            var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = k + (i * 1e-6f);
            }

            entries.Add(Entry.Floats(name, shape, values));
        }

        return entries;
    }

    /// <summary>The entries of a network's state dict, in order.</summary>
    public static List<Entry> Of(MnistNet net) =>
        NetWeights.Of(net).Select(p => Entry.Floats(p.Key, CnnShapes.Single(s => s.Name == p.Key).Shape, p.Value)).ToList();

    public static byte[] ToBytes(IReadOnlyList<Entry> entries)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write7BitEncodedInt64(entries.Count);
        foreach (var entry in entries)
        {
            writer.Write(entry.Name);
            writer.Write7BitEncodedInt64(entry.DType);
            writer.Write7BitEncodedInt64(entry.Shape.Length);
            foreach (var dimension in entry.Shape)
            {
                writer.Write7BitEncodedInt64(dimension);
            }

            writer.Write(entry.Data);
        }

        writer.Flush();
        return stream.ToArray();
    }
}
