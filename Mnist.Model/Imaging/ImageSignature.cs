namespace Mnist.Model.Imaging;

/// <summary>Recognises an encoding from its first bytes, and names common formats we do not read.</summary>
internal static class ImageSignature
{
    private static ReadOnlySpan<byte> Png => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static ReadOnlySpan<byte> Jpeg => [0xFF, 0xD8, 0xFF];

    public static int PngLength => Png.Length;

    public static ImageFormat Detect(ReadOnlySpan<byte> data) =>
        data.StartsWith(Png) ? ImageFormat.Png
        : data.StartsWith(Jpeg) ? ImageFormat.Jpeg
        : ImageFormat.Unknown;

    /// <summary>"GIF", "WebP"... for formats people commonly send by mistake; null otherwise.</summary>
    public static string? NameOtherFormat(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith("GIF8"u8))
        {
            return "GIF";
        }

        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
        {
            return "WebP";
        }

        if (data.StartsWith("BM"u8))
        {
            return "BMP";
        }

        if (data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8))
        {
            return "TIFF";
        }

        if (data.Length >= 12 && data[4..8].SequenceEqual("ftyp"u8))
        {
            return "HEIF/AVIF";
        }

        if (data.StartsWith("<svg"u8) || data.StartsWith("<?xml"u8))
        {
            return "SVG";
        }

        return null;
    }
}
