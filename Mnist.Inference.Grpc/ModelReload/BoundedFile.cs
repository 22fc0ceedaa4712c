namespace Mnist.Inference.Grpc.ModelReload;

/// <summary>Reads files of the model volume, which the trainer may replace meanwhile, never more than a bound.</summary>
internal static class BoundedFile
{
    /// <param name="expected">What the file should be, for the message when it is too large (e.g. "a weights file ... is 4.8 MB").</param>
    /// <exception cref="InvalidDataException">The file is larger than <paramref name="maxBytes"/>; nothing was read.</exception>
    public static byte[] Read(string path, long maxBytes, string expected)
    {
        // Share Delete and Write: a rename over the file while it is read must not fail the trainer.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length > maxBytes)
        {
            throw new InvalidDataException($"{path} is {stream.Length} bytes; {expected}");
        }

        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
