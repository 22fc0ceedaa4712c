using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Mnist.Model.Weights;

/// <summary>
/// Writes a TorchSharp state-dict file (<c>Module.save</c> layout): LEB128 entry count, then per entry a
/// length-prefixed UTF-8 name, LEB128 dtype, rank and dims, and the little-endian element bytes.
/// </summary>
public sealed class StateDictWriter
{
    private readonly Stream _stream;
    private readonly int _declaredCount;
    private int _written;

    /// <summary>Starts a file on <paramref name="stream"/> that will hold exactly <paramref name="entryCount"/> entries.</summary>
    public StateDictWriter(Stream stream, int entryCount)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(entryCount);
        _stream = stream;
        _declaredCount = entryCount;
        WriteVarint((ulong)entryCount);
    }

    /// <summary>Entries still to be written before the file is complete.</summary>
    public int Remaining => _declaredCount - _written;

    /// <summary>Writes all <paramref name="entries"/> as a complete file.</summary>
    public static void Write(Stream stream, IReadOnlyList<StateDictEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var writer = new StateDictWriter(stream, entries.Count);
        foreach (var entry in entries)
        {
            writer.Write(entry);
        }
    }

    /// <summary>Writes one entry.</summary>
    public void Write(StateDictEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        WriteHeader(entry.Name, entry.ScalarType, entry.Shape);
        _stream.Write(entry.Data.Span);
    }

    /// <summary>Writes one float32 entry straight from <paramref name="values"/> (no intermediate copy on little-endian hosts).</summary>
    public void WriteFloat32(string name, IReadOnlyList<int> shape, ReadOnlySpan<float> values)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var dims = shape.Select(d => (long)d).ToArray();
        if (StateDictShape.ByteCount(dims, sizeof(float)) != (long)values.Length * sizeof(float))
        {
            throw new ArgumentException($"'{name}': shape {StateDictShape.Format(shape)} does not hold {values.Length} values.", nameof(values));
        }

        WriteHeader(name, TorchScalarType.Float32, dims);
        if (BitConverter.IsLittleEndian)
        {
            _stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }

        Span<byte> buffer = stackalloc byte[sizeof(float)];
        foreach (var value in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(buffer, value);
            _stream.Write(buffer);
        }
    }

    private void WriteHeader(string name, TorchScalarType scalarType, IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_written == _declaredCount)
        {
            throw new InvalidOperationException($"The file was declared with {_declaredCount} entries; '{name}' would be one too many.");
        }

        // BinaryWriter.Write(string): 7-bit encoded UTF-8 byte count, then the bytes.
        var nameBytes = Encoding.UTF8.GetBytes(name);
        WriteVarint((ulong)nameBytes.Length);
        _stream.Write(nameBytes);
        WriteVarint((ulong)(int)scalarType);
        WriteVarint((ulong)shape.Count);
        foreach (var dim in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(dim);
            WriteVarint((ulong)dim);
        }

        _written++;
    }

    private void WriteVarint(ulong value)
    {
        Span<byte> buffer = stackalloc byte[Leb128.MaxBytes];
        _stream.Write(buffer[..Leb128.Write(value, buffer)]);
    }
}
