namespace Mnist.Model.Imaging;

/// <summary>
/// Whether a JPEG holds its whole last scan: an end-of-image marker (FF D9) after the last start-of-scan (FF DA).
/// Entropy-coded data never holds an unescaped FF DA or FF D9 (a data FF is followed by 00 or a restart marker),
/// so the last FF DA starts the main image's last scan even when an Exif thumbnail comes first, and data appended
/// after the end marker (as some phones do) is allowed.
/// </summary>
internal static class JpegCompleteness
{
    public static bool EndsItsLastScan(ReadOnlySpan<byte> jpeg)
    {
        var lastScan = jpeg.LastIndexOf([(byte)0xFF, (byte)0xDA]);
        return lastScan >= 0 && jpeg[(lastScan + 2)..].IndexOf([(byte)0xFF, (byte)0xD9]) >= 0;
    }
}
