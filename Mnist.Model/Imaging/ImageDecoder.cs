using System.Buffers;
using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace Mnist.Model.Imaging;

/// <summary>
/// Decodes any format ImageSharp reads (PNG, JPEG, GIF, BMP, TIFF, WebP, TGA, PBM) into a <see cref="GrayImage"/>,
/// safely for untrusted input: the size is checked from the header before a pixel is decoded.
/// </summary>
public static class ImageDecoder
{
    /// <summary>
    /// Decodes <paramref name="encoded"/> to 8-bit grey. Colour becomes BT.601 luma. A picture drawn on a transparent
    /// canvas becomes its alpha (coverage) as light ink on black; other transparency is composited onto white.
    /// Only the first frame of an animation or multi-page file is read.
    /// </summary>
    /// <exception cref="ImageDecodeException">Empty, not an image format ImageSharp reads, corrupt or truncated.</exception>
    /// <exception cref="ImageTooLargeException">The header claims more than <paramref name="limits"/> allows.</exception>
    public static GrayImage Decode(ReadOnlySpan<byte> encoded, ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (encoded.IsEmpty)
        {
            throw new ImageDecodeException("image is empty (0 bytes); send the bytes of an image file such as PNG or JPEG");
        }

        var configuration = ImageSharpConfiguration.Instance;
        Image<Rgba32> image;
        try
        {
            var (info, format) = Identify(configuration, encoded);
            if (info is null || format is null)
            {
                throw new ImageDecodeException(ImageSignature.DescribeUnknown(encoded));
            }

            limits.EnsureWithin(info.Width, info.Height);
            // ImageSharp fills a JPEG cut short with grey instead of failing.
            if (format is JpegFormat && !JpegCompleteness.EndsItsLastScan(encoded))
            {
                throw new ImageDecodeException("image is truncated (JPEG): it ends before its end-of-image marker");
            }

            image = Image.Load<Rgba32>(configuration, encoded);
        }
        catch (UnknownImageFormatException)
        {
            throw new ImageDecodeException(ImageSignature.DescribeUnknown(encoded));
        }
        catch (Exception e) when (e is not (ImageRejectedException or OutOfMemoryException))
        {
            // The input is untrusted and ImageSharp 2 fails on some malformed files with any exception
            // (InvalidImageContentException, but also NullReference or ArgumentOutOfRange): all mean "unreadable".
            // Its text is not for clients; the format name is.
            var format = Image.DetectFormat(configuration, encoded)?.Name ?? "unknown format";
            throw new ImageDecodeException($"image is corrupt, truncated or of an unsupported kind ({format})");
        }

        using (image)
        {
            // The header and the frame can disagree in a malformed file; the frame is what was allocated.
            limits.EnsureWithin(image.Width, image.Height);
            return Flatten(image);
        }
    }

    // ImageSharp 2 identifies from a stream or an array only; a stream over the pinned span copies nothing.
    private static unsafe (IImageInfo? Info, IImageFormat? Format) Identify(Configuration configuration, ReadOnlySpan<byte> encoded)
    {
        fixed (byte* data = encoded)
        {
            using var stream = new UnmanagedMemoryStream(data, encoded.Length);
            var info = Image.Identify(configuration, stream, out var format);
            return (info, format);
        }
    }

    private static GrayImage Flatten(Image<Rgba32> image)
    {
        int width = image.Width, height = image.Height;
        var byteCount = checked(width * height * 4);
        var buffer = ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            image.CopyPixelDataTo(MemoryMarshal.Cast<byte, Rgba32>(buffer.AsSpan(0, byteCount)));
            GrayFlattener.FlattenRgbaInPlace(buffer, width, height);
            return new GrayImage(width, height, buffer);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }
}
