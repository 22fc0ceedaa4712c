namespace Mnist.Model.Imaging;

/// <summary>Decodes PNG and JPEG bytes into a <see cref="GrayImage"/>, safely for untrusted input.</summary>
public static class ImageDecoder
{
    /// <summary>Which encoding the bytes start with.</summary>
    public static ImageFormat DetectFormat(ReadOnlySpan<byte> encoded) => ImageSignature.Detect(encoded);

    /// <summary>
    /// Decodes <paramref name="encoded"/> to 8-bit grey. Colour becomes BT.601 luma. A PNG drawn on a transparent
    /// canvas becomes its alpha (coverage) as light ink on black; other transparency is composited onto white.
    /// </summary>
    /// <exception cref="ImageDecodeException">Empty, not PNG/JPEG, corrupt or truncated.</exception>
    /// <exception cref="ImageTooLargeException">The header claims more than <paramref name="limits"/> allows.</exception>
    public static GrayImage Decode(ReadOnlySpan<byte> encoded, ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return ImageSignature.Detect(encoded) switch
        {
            ImageFormat.Png => PngDecoder.Decode(encoded, limits),
            ImageFormat.Jpeg => JpegDecoder.Decode(encoded, limits),
            _ => throw new ImageDecodeException(DescribeUnknown(encoded)),
        };
    }

    private static string DescribeUnknown(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty)
        {
            return "image is empty (0 bytes); send the bytes of a PNG or JPEG file";
        }

        var other = ImageSignature.NameOtherFormat(encoded);
        var start = Convert.ToHexString(encoded[..Math.Min(encoded.Length, 8)]);
        return other is null
            ? $"not a PNG or JPEG: the data starts with 0x{start}; only PNG and JPEG are accepted"
            : $"not a PNG or JPEG: the data looks like {other}; only PNG and JPEG are accepted";
    }
}
