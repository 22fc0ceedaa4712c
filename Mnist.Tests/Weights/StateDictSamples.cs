using Mnist.Model.Weights;

namespace Mnist.Tests.Weights;

/// <summary>State dicts shaped like the MNIST CNN, built without the engine, for format-level tests.</summary>
internal static class StateDictSamples
{
    public static readonly (string Name, int[] Shape)[] CnnShapes =
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

    /// <summary>Entries with deterministic, distinct values (value i of entry k = k + i * 1e-6).</summary>
    public static List<StateDictEntry> Cnn()
    {
        var entries = new List<StateDictEntry>();
        for (var k = 0; k < CnnShapes.Length; k++)
        {
            var (name, shape) = CnnShapes[k];
            var values = new float[shape.Aggregate(1, (a, b) => a * b)];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = k + (i * 1e-6f);
            }

            entries.Add(StateDictEntry.FromFloats(name, shape, values));
        }

        return entries;
    }

    public static byte[] CnnFile() => ToBytes(Cnn());

    public static byte[] ToBytes(IReadOnlyList<StateDictEntry> entries)
    {
        using var stream = new MemoryStream();
        StateDictWriter.Write(stream, entries);
        return stream.ToArray();
    }
}
