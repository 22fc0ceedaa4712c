namespace Mnist.Model.Volume;

/// <summary>
/// Reads files of the model volume, which the trainer may replace meanwhile, never more than a bound, and never
/// through a symbolic link: the trainer writes plain files, and a link could make the server serve any file it can
/// read (a plot linking to /etc/passwd).
/// </summary>
internal static class BoundedFile
{
    /// <param name="expected">What the file should be, for the message when it is too large (e.g. "a weights file ... is 4.8 MB").</param>
    /// <exception cref="InvalidDataException">The file is a symbolic link, or larger than <paramref name="maxBytes"/>; nothing was read.</exception>
    public static byte[] Read(string path, long maxBytes, string expected)
    {
        RefuseLink(new FileInfo(path));
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

    /// <summary>Refuses a file or directory of the volume that is a symbolic link.</summary>
    /// <exception cref="InvalidDataException"><paramref name="entry"/> is a symbolic link.</exception>
    public static void RefuseLink(FileSystemInfo entry)
    {
        if (entry.LinkTarget is not null)
        {
            throw new InvalidDataException($"{entry.FullName} is a symbolic link; the model volume holds plain files only");
        }
    }
}
