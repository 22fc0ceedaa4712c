namespace Mnist.Model.Volume;

/// <summary>
/// MODEL_DIR/cards/&lt;model_version&gt;/: the card of one run, published whole. The files are written and flushed in a
/// hidden directory beside it, which is then renamed into place, so a reader finds either no card for a version or
/// the complete card of exactly that version's run.
/// </summary>
internal static class CardDirectory
{
    private const string IncomingPrefix = ".incoming-";

    /// <summary>Publishes <paramref name="files"/> as the card of <paramref name="version"/>, replacing an older card of the same weights.</summary>
    public static void Write(string modelDirectory, string version, IReadOnlyList<(string Name, byte[] Bytes)> files)
    {
        var root = Path.Combine(modelDirectory, ModelVolume.CardsDirectoryName);
        Directory.CreateDirectory(root);
        var incoming = Path.Combine(root, $"{IncomingPrefix}{Guid.NewGuid():N}");
        Directory.CreateDirectory(incoming);
        try
        {
            foreach (var (name, bytes) in files)
            {
                using var stream = new FileStream(Path.Combine(incoming, name), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            var target = Path.Combine(root, version);
            if (Directory.Exists(target))
            {
                // Same weights trained again (a reproducible seed): rename(2) cannot replace a non-empty directory.
                var replaced = Path.Combine(root, $"{IncomingPrefix}{Guid.NewGuid():N}");
                Directory.Move(target, replaced);
                Directory.Delete(replaced, recursive: true);
            }

            Directory.Move(incoming, target);
        }
        catch
        {
            TryDelete(incoming);
            throw;
        }
    }

    /// <summary>Deletes the cards of every version but <paramref name="keep"/>, and leftovers of interrupted runs.</summary>
    public static void Prune(string modelDirectory, IReadOnlySet<string> keep)
    {
        var root = Path.Combine(modelDirectory, ModelVolume.CardsDirectoryName);
        foreach (var card in Directory.EnumerateDirectories(root))
        {
            if (!keep.Contains(Path.GetFileName(card)))
            {
                TryDelete(card);
            }
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: an old card is harmless, the run's outcome matters more.
        }
    }
}
