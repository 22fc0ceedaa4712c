namespace Mnist.Model.Imaging;

/// <summary>Says what bytes that no decoder recognised look like, for the client's error message.</summary>
internal static class ImageSignature
{
    public static string DescribeUnknown(ReadOnlySpan<byte> data)
    {
        var other = NameOtherFormat(data);
        return other is null
            ? $"not an image: the data starts with 0x{Convert.ToHexString(data[..Math.Min(data.Length, 8)])}; send a PNG, JPEG, GIF, BMP, TIFF or WebP file"
            : $"{other} images are not supported; send a PNG, JPEG, GIF, BMP, TIFF or WebP file";
    }

    /// <summary>Formats people send that no ImageSharp 2 decoder reads; null otherwise.</summary>
    private static string? NameOtherFormat(ReadOnlySpan<byte> data)
    {
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
