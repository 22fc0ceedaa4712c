using System.Runtime.InteropServices;
using Mnist.Model.Network;

namespace Mnist.Model.Weights;

/// <summary>
/// Strict <c>Module.load</c> into a fresh network, with TorchSharp's errors turned into ours and the checks it
/// leaves out added: another file format, a name loaded twice (which can hide a missing one), bytes after the
/// last entry. The fresh network is disposed on any failure, so nothing is ever half-loaded.
/// </summary>
internal static class WeightsFileLoader
{
    public static MnistNet Load(ReadOnlyMemory<byte> content)
    {
        RefuseOtherFormats(content.Span);
        var net = new MnistNet();
        try
        {
            Read(net, content);
            return net;
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    private static void RefuseOtherFormats(ReadOnlySpan<byte> content)
    {
        if (content.IsEmpty)
        {
            throw new InvalidWeightsFileException("The weights file is empty (0 bytes).");
        }

        // A TorchSharp state dict starts with its entry count (8 here); these are PyTorch's own formats.
        if (content.StartsWith("PK\x03\x04"u8))
        {
            throw new InvalidWeightsFileException(
                "The weights file is a PyTorch torch.save zip archive, not a TorchSharp state dict; export it with TorchSharp's exportsd.py.");
        }

        if (content[0] == 0x80)
        {
            throw new InvalidWeightsFileException(
                "The weights file is a Python pickle, not a TorchSharp state dict; export it with TorchSharp's exportsd.py.");
        }
    }

    private static void Read(MnistNet net, ReadOnlyMemory<byte> content)
    {
        var stream = MemoryMarshal.TryGetArray(content, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
        using var reader = new BinaryReader(stream);
        var loaded = new Dictionary<string, bool>(StringComparer.Ordinal);
        try
        {
            net.load(reader, strict: true, loadedParameters: loaded);
        }
        catch (ArgumentException e) when (e.Message.Contains("same key", StringComparison.Ordinal))
        {
            // TorchSharp records each loaded name once; a second entry of one name fails that bookkeeping.
            var name = e.Message[(e.Message.LastIndexOf("Key: ", StringComparison.Ordinal) + 5)..];
            throw new WeightsMismatchException($"entry '{name}' appears twice (the second time at byte {stream.Position})");
        }
        catch (ArgumentException e)
        {
            // TorchSharp's strict checks: entry count, unknown name, dtype, shape.
            throw new WeightsMismatchException($"{e.Message.TrimEnd('.')} (at byte {stream.Position})");
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidWeightsFileException(
                $"The weights file is truncated: it ends at byte {content.Length} in the middle of an entry " +
                $"(a weights file for this network is {MnistWeights.FileLength:N0} bytes).", e);
        }
        catch (Exception e) when (e is IOException or FormatException or OverflowException or NotImplementedException or InvalidOperationException)
        {
            throw new InvalidWeightsFileException($"The weights file is corrupt at byte {stream.Position}: {e.Message}", e);
        }

        var missing = net.state_dict().Keys.Where(name => !loaded.GetValueOrDefault(name)).ToList();
        if (missing.Count > 0)
        {
            throw new WeightsMismatchException($"entries missing from the file (another entry appears twice): {string.Join(", ", missing)}");
        }

        if (stream.Position != stream.Length)
        {
            throw new InvalidWeightsFileException(
                $"The weights file has {stream.Length - stream.Position} unexpected bytes after its last entry (which ends at byte {stream.Position}).");
        }
    }
}
