namespace Mnist.Inference.Grpc.ModelReload;

/// <summary>What tells a replaced file from the one seen before, without reading it.</summary>
internal readonly record struct FileFingerprint(long Length, DateTime LastWriteUtc)
{
    public static FileFingerprint? Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileFingerprint(info.Length, info.LastWriteTimeUtc) : null;
    }
}
