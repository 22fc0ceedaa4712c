namespace Mnist.Model.Weights;

/// <summary>
/// Reads a whole TorchSharp state-dict file strictly: every byte must belong to an entry, every varint must
/// be canonical, and every failure names the entry and byte offset. Never allocates more than the file holds.
/// </summary>
public static class StateDictReader
{
    /// <summary>Largest file accepted (a .NET array bound; the MNIST CNN needs 4.8 MB).</summary>
    public const long MaxFileBytes = 1L << 30;

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidWeightsFileException">Not a well-formed state dict.</exception>
    public static IReadOnlyList<StateDictEntry> ReadFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return Read(stream);
    }

    /// <summary>Reads from the current position of <paramref name="stream"/> to its end.</summary>
    /// <exception cref="InvalidWeightsFileException">Not a well-formed state dict.</exception>
    public static IReadOnlyList<StateDictEntry> Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(ReadAll(stream));
    }

    /// <summary>Parses a complete file held in memory. Entries reference slices of <paramref name="file"/>.</summary>
    /// <exception cref="InvalidWeightsFileException">Not a well-formed state dict.</exception>
    public static IReadOnlyList<StateDictEntry> Read(ReadOnlyMemory<byte> file)
    {
        try
        {
            return new StateDictParser(file).ParseAll();
        }
        catch (InvalidWeightsFileException error) when (ForeignFormat(file.Span) is { } format)
        {
            throw new InvalidWeightsFileException(
                $"This is {format}, not a TorchSharp state dict (Module.save format). " +
                "Export the PyTorch state_dict with TorchSharp's exportsd.py, or save it with TorchSharp's Module.save.",
                0, null, error);
        }
    }

    /// <summary>Recognises files from other tools, so their error is friendlier than "corrupt".</summary>
    internal static string? ForeignFormat(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("PK\x03\x04"u8))
        {
            return "a zip archive (PyTorch torch.save .pt/.pth)";
        }

        if (head.Length >= 2 && head[0] == 0x80 && head[1] is >= 2 and <= 5)
        {
            return "a Python pickle (legacy PyTorch torch.save)";
        }

        return null;
    }

    private static byte[] ReadAll(Stream stream)
    {
        if (stream.CanSeek)
        {
            var length = stream.Length - stream.Position;
            if (length > MaxFileBytes)
            {
                throw TooLarge(length);
            }

            var bytes = new byte[length];
            var read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            return read == bytes.Length ? bytes : bytes[..read];
        }

        using var copy = new MemoryStream();
        var buffer = new byte[81920];
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            if (copy.Length + n > MaxFileBytes)
            {
                throw TooLarge(copy.Length + n);
            }

            copy.Write(buffer, 0, n);
        }

        return copy.ToArray();
    }

    private static InvalidWeightsFileException TooLarge(long length) =>
        new($"The weights file is {length} bytes; at most {MaxFileBytes} bytes are accepted.", MaxFileBytes, null);
}
