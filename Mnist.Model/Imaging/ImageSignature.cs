namespace Mnist.Model.Imaging;

/// <summary>Says what bytes that no enabled decoder recognised look like, for the client's error message.</summary>
internal static class ImageSignature
{
    public static string DescribeUnknown(ReadOnlySpan<byte> data)
    {
        var other = NameOtherFormat(data);
        return other is null
            ? $"not an image: the data starts with 0x{Convert.ToHexString(data[..Math.Min(data.Length, 8)])}; send a {ImageSharpConfiguration.AcceptedFormats} file"
            : $"{other} images are not accepted; send a {ImageSharpConfiguration.AcceptedFormats} file";
    }

    /// <summary>Formats people send that no enabled decoder reads; null otherwise.</summary>
    private static string? NameOtherFormat(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith("GIF8"u8))
        {
            return "GIF";
        }

        if (data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8) || data.StartsWith("II+\0"u8) || data.StartsWith("MM\0+"u8))
        {
            return "TIFF";
        }

        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
        {
            return "WebP";
        }

        if (data.StartsWith("BM"u8))
        {
            return "BMP";
        }

        if (data.Length >= 12 && data[4..8].SequenceEqual("ftyp"u8))
        {
            return "HEIF/AVIF";
        }

        if (data.StartsWith("<svg"u8) || data.StartsWith("<?xml"u8))
        {
            return "SVG";
        }

        return data.StartsWith("%PDF"u8) ? "PDF" : null;
    }
}
