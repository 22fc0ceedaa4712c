using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Mnist.Model.Imaging;

/// <summary>
/// Decodes a PNG or JPEG into a <see cref="GrayImage"/>, safely for untrusted input: the size is checked from the
/// header before a pixel is decoded, the decoders are only those that passed the fuzz tests, and the pixels are
/// decoded straight to 8-bit grey (grey+alpha for a PNG with transparency) in one buffer that is never copied.
/// </summary>
public static class ImageDecoder
{
    /// <summary>
    /// Decodes <paramref name="encoded"/> to 8-bit grey. Colour becomes BT.709 luma (ImageSharp's grey). A picture
    /// drawn on a transparent canvas becomes its alpha (coverage) as light ink on black; other transparency is
    /// composited onto white.
    /// </summary>
    /// <param name="encoded">The file's bytes.</param>
    /// <param name="limits">The largest picture accepted.</param>
    /// <param name="cancellationToken">Stops the decode between rows, scans or chunks when the call is gone.</param>
    /// <exception cref="ImageDecodeException">Empty, not PNG or JPEG, corrupt or truncated.</exception>
    /// <exception cref="ImageTooLargeException">The header claims more than <paramref name="limits"/> allows.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public static GrayImage Decode(ReadOnlyMemory<byte> encoded, ImageLimits limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (encoded.IsEmpty)
        {
            throw new ImageDecodeException($"image is empty (0 bytes); send the bytes of a {ImageSharpConfiguration.AcceptedFormats} file");
        }

        var configuration = ImageSharpConfiguration.Instance;
        using var stream = ReadOnlyStream(encoded);
        try
        {
            var info = Image.Identify(configuration, stream, out var format);
            if (info is null || format is null)
            {
                throw new ImageDecodeException(ImageSignature.DescribeUnknown(encoded.Span));
            }

            limits.EnsureWithin(info.Width, info.Height);
            if (format is JpegFormat)
            {
                // ImageSharp fills a JPEG cut short with grey instead of failing.
                if (!JpegCompleteness.EndsItsLastScan(encoded.Span))
                {
                    throw new ImageDecodeException("image is truncated (JPEG): it ends before its end-of-image marker");
                }

                limits.EnsureProgressiveJpegWithin(info.Width, info.Height, ProgressiveJpeg.WeightedPixels(encoded.Span, info.Width, info.Height));
            }

            stream.Position = 0;
            var decoder = configuration.ImageFormatsManager.FindDecoder(format);
            return HasTransparency(info, format)
                ? ToGray(decoder.Decode<La16>(configuration, stream, cancellationToken), limits)
                : ToGray(decoder.Decode<L8>(configuration, stream, cancellationToken), limits);
        }
        catch (UnknownImageFormatException)
        {
            throw new ImageDecodeException(ImageSignature.DescribeUnknown(encoded.Span));
        }
        catch (Exception e) when (e is not (ImageRejectedException or OutOfMemoryException or OperationCanceledException))
        {
            // The input is untrusted and ImageSharp 2 fails on some malformed files with any exception
            // (InvalidImageContentException, but also NullReference or ArgumentOutOfRange): all mean "unreadable".
            // Its text is not for clients; the format name is.
            var format = Image.DetectFormat(configuration, encoded.Span)?.Name ?? "unknown format";
            throw new ImageDecodeException($"image is corrupt, truncated or of an unsupported kind ({format})");
        }
    }

    // A stream over the caller's array (protobuf's and ASP.NET Core's buffers are arrays): nothing is copied.
    private static MemoryStream ReadOnlyStream(ReadOnlyMemory<byte> encoded) =>
        MemoryMarshal.TryGetArray(encoded, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(encoded.ToArray(), writable: false);

    // Only a PNG carries alpha among the enabled formats: an alpha channel, a palette (which may hold alpha) or a tRNS colour.
    private static bool HasTransparency(IImageInfo info, IImageFormat format) =>
        format is PngFormat && info.Metadata.GetPngMetadata() is { } png
        && (png.HasTransparency || png.ColorType is not (PngColorType.Grayscale or PngColorType.Rgb));

    private static GrayImage ToGray<TPixel>(Image<TPixel> image, ImageLimits limits)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        try
        {
            // The header and the frame can disagree in a malformed file; the frame is what was allocated.
            limits.EnsureWithin(image.Width, image.Height);
            if (!image.DangerousTryGetSinglePixelMemory(out var memory))
            {
                throw new InvalidOperationException("ImageSharp gave a discontiguous buffer despite PreferContiguousImageBuffers.");
            }

            var bytes = new PixelBytes<TPixel>(memory);
            if (typeof(TPixel) == typeof(La16))
            {
                GrayFlattener.FlattenGrayAlphaInPlace(bytes.GetSpan(), image.Width, image.Height);
            }

            return new GrayImage(image.Width, image.Height, image, bytes);
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }
}
