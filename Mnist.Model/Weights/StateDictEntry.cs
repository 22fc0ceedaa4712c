using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Mnist.Model.Weights;

/// <summary>
/// One named tensor of a state dict: element type, shape in PyTorch order and the raw little-endian,
/// row-major element bytes.
/// </summary>
public sealed class StateDictEntry
{
    /// <summary>Creates an entry; <paramref name="data"/> must hold exactly numel * element size bytes.</summary>
    public StateDictEntry(string name, TorchScalarType scalarType, IReadOnlyList<long> shape, ReadOnlyMemory<byte> data, long offset = -1)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        if (scalarType.ElementSize() == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(scalarType), scalarType, "Not a dtype code this format defines.");
        }

        var expected = StateDictShape.ByteCount(shape, scalarType.ElementSize());
        if (expected != data.Length)
        {
            throw new ArgumentException($"'{name}': shape {StateDictShape.Format(shape)} of {scalarType} needs {expected} bytes, got {data.Length}.", nameof(data));
        }

        Name = name;
        ScalarType = scalarType;
        Shape = shape.ToArray();
        Data = data;
        Offset = offset;
    }

    /// <summary>Dotted PyTorch name, e.g. <c>conv1.weight</c>.</summary>
    public string Name { get; }

    /// <summary>Element type.</summary>
    public TorchScalarType ScalarType { get; }

    /// <summary>Dimensions, outermost first (empty for a scalar).</summary>
    public IReadOnlyList<long> Shape { get; }

    /// <summary>Raw element bytes, little-endian, row-major.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Byte offset of the entry (its name) in the file it was read from; -1 if not read from a file.</summary>
    public long Offset { get; }

    /// <summary>Number of elements (product of the shape; 1 for a scalar).</summary>
    public long ElementCount => Data.Length / ScalarType.ElementSize();

    /// <summary>A float32 entry holding a copy of <paramref name="values"/>.</summary>
    public static StateDictEntry FromFloats(string name, ReadOnlySpan<int> shape, ReadOnlySpan<float> values)
    {
        var bytes = new byte[checked(values.Length * sizeof(float))];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(bytes);
        }
        else
        {
            for (var i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
            }
        }

        var dims = new long[shape.Length];
        for (var i = 0; i < dims.Length; i++)
        {
            dims[i] = shape[i];
        }

        return new StateDictEntry(name, TorchScalarType.Float32, dims, bytes);
    }

    /// <summary>Copies a float32 entry's elements into <paramref name="destination"/> (same length).</summary>
    public void CopyFloatsTo(Span<float> destination)
    {
        if (ScalarType != TorchScalarType.Float32)
        {
            throw new InvalidOperationException($"'{Name}' is {ScalarType.Describe()}, not Float32.");
        }

        if (destination.Length != ElementCount)
        {
            throw new ArgumentException($"'{Name}' has {ElementCount} elements, destination {destination.Length}.", nameof(destination));
        }

        var source = Data.Span;
        if (BitConverter.IsLittleEndian)
        {
            source.CopyTo(MemoryMarshal.AsBytes(destination));
            return;
        }

        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(i * sizeof(float))..]);
        }
    }
}
