using System.Text;

namespace Mnist.Model.Weights;

/// <summary>Cursor over one in-memory state-dict file; see <see cref="StateDictReader"/>.</summary>
internal sealed class StateDictParser(ReadOnlyMemory<byte> file)
{
    public const int MaxNameBytes = 4096;
    public const int MaxRank = 8;

    // Smallest possible entry: empty name (1), dtype (1), rank 1 (1), dim 0 (1), no data.
    private const int MinEntryBytes = 4;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private int _position;
    private int _entryIndex = -1;
    private string? _entryName;

    public List<StateDictEntry> ParseAll()
    {
        if (file.IsEmpty)
        {
            throw Fail("the file is empty; a state dict starts with its entry count");
        }

        var count = (int)ReadVarint("entry count", int.MaxValue);
        var remaining = file.Length - _position;
        if (count > remaining / MinEntryBytes)
        {
            throw Fail($"the header claims {count} entries but only {remaining} bytes follow (at least {MinEntryBytes} per entry)");
        }

        var entries = new List<StateDictEntry>(count);
        for (_entryIndex = 0; _entryIndex < count; _entryIndex++)
        {
            _entryName = null;
            entries.Add(ParseEntry());
        }

        if (_position != file.Length)
        {
            _entryName = null;
            throw Fail($"{file.Length - _position} unexpected bytes after the last of {count} entries");
        }

        return entries;
    }

    private StateDictEntry ParseEntry()
    {
        var start = _position;
        var nameLength = (int)ReadVarint("name length", MaxNameBytes);
        var nameBytes = Take(nameLength, "name");
        try
        {
            _entryName = StrictUtf8.GetString(nameBytes);
        }
        catch (DecoderFallbackException)
        {
            _position = start;
            throw Fail("the name is not valid UTF-8");
        }

        var dtypeOffset = _position;
        var code = ReadVarint("dtype code", int.MaxValue);
        var scalarType = (TorchScalarType)(int)code;
        if (scalarType.ElementSize() == 0)
        {
            _position = dtypeOffset;
            throw Fail($"unknown dtype code {code} (known: 0-7, 9-15)");
        }

        var rank = (int)ReadVarint("rank", MaxRank);
        var shape = new long[rank];
        for (var i = 0; i < rank; i++)
        {
            shape[i] = (long)ReadVarint($"dimension {i}", long.MaxValue);
        }

        var byteCount = StateDictShape.ByteCount(shape, scalarType.ElementSize());
        var available = file.Length - _position;
        if (byteCount < 0 || byteCount > available)
        {
            var needed = byteCount < 0 ? "more than 2^63" : byteCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw Fail($"truncated: the data of shape {StateDictShape.Format(shape)} {scalarType} needs {needed} bytes, the file has {available} left");
        }

        var data = file.Slice(_position, (int)byteCount);
        _position += (int)byteCount;
        return new StateDictEntry(_entryName, scalarType, shape, data, start);
    }

    private ReadOnlySpan<byte> Take(int length, string what)
    {
        if (length > file.Length - _position)
        {
            throw Fail($"truncated: the {what} needs {length} bytes, the file has {file.Length - _position} left");
        }

        var span = file.Span.Slice(_position, length);
        _position += length;
        return span;
    }

    /// <summary>Unsigned LEB128, canonical (no redundant trailing zero groups), at most <paramref name="max"/>.</summary>
    private ulong ReadVarint(string what, ulong max)
    {
        var start = _position;
        var span = file.Span;
        ulong value = 0;
        for (var i = 0; i < Leb128.MaxBytes; i++)
        {
            if (_position >= span.Length)
            {
                _position = start;
                throw Fail($"truncated: the file ends inside the {what}");
            }

            var b = span[_position++];
            var payload = (ulong)(b & 0x7F);
            if (i == Leb128.MaxBytes - 1 && payload > 1)
            {
                _position = start;
                throw Fail($"the {what} overflows 64 bits");
            }

            value |= payload << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (b == 0 && i > 0)
                {
                    _position = start;
                    throw Fail($"the {what} is an overlong (non-canonical) varint of {i + 1} bytes");
                }

                if (value > max)
                {
                    _position = start;
                    throw Fail($"the {what} is {value}, at most {max} is allowed");
                }

                return value;
            }
        }

        _position = start;
        throw Fail($"the {what} is an overlong varint (more than {Leb128.MaxBytes} bytes)");
    }

    private InvalidWeightsFileException Fail(string problem)
    {
        var where = _entryIndex < 0
            ? "in the header"
            : _entryName is null ? $"in entry #{_entryIndex}" : $"in entry #{_entryIndex} '{_entryName}'";
        return new InvalidWeightsFileException($"Corrupt weights file at byte {_position} {where}: {problem}.", _position, _entryName);
    }
}
