namespace Mnist.Model.Imaging;

/// <summary>
/// The largest picture the decoders accept: a bound on each side and a bound on the pixels in all (the memory a
/// decode takes grows with the pixels, not the sides). Checked against the dimensions in the file's header before
/// any pixel is decoded, so a file that claims to be huge costs nothing.
/// </summary>
public sealed class ImageLimits
{
    /// <summary>The default bound on each side, in pixels.</summary>
    public const int DefaultMaxSide = 4096;

    /// <summary>
    /// The default bound on width x height: 4096x3072, so a 12 MP phone photo (4000x3000, 4032x3024) is read. What one
    /// decode of it costs, and why two at once fit the pod's memory limit, is in docs/operating.md ("Resource bounds").
    /// </summary>
    public const long DefaultMaxPixels = 4096L * 3072;

    /// <summary>The smallest side that can be configured: an MNIST-sized image is always accepted.</summary>
    public const int MinConfigurableSide = MnistShape.ImageSide;

    /// <summary>The largest side that can be configured.</summary>
    public const int MaxConfigurableSide = 16384;

    /// <summary>The smallest pixel budget that can be configured: one MNIST-sized image.</summary>
    public const long MinConfigurablePixels = MnistShape.PixelCount;

    /// <summary>The largest pixel budget that can be configured: 64 Mi pixels, already more than a pod's memory at the decoders' cost.</summary>
    public const long MaxConfigurablePixels = 64L * 1024 * 1024;

    /// <summary>Creates limits of at most <paramref name="maxWidth"/> x <paramref name="maxHeight"/> and <paramref name="maxPixels"/> pixels in all.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A bound is outside its configurable range.</exception>
    public ImageLimits(int maxWidth = DefaultMaxSide, int maxHeight = DefaultMaxSide, long maxPixels = DefaultMaxPixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWidth, MinConfigurableSide);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxWidth, MaxConfigurableSide);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHeight, MinConfigurableSide);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxHeight, MaxConfigurableSide);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPixels, MinConfigurablePixels);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPixels, MaxConfigurablePixels);
        MaxWidth = maxWidth;
        MaxHeight = maxHeight;
        MaxPixels = maxPixels;
    }

    /// <summary>4096 pixels a side, 4096x3072 pixels in all.</summary>
    public static ImageLimits Default { get; } = new();

    /// <summary>The widest picture accepted, in pixels.</summary>
    public int MaxWidth { get; }

    /// <summary>The tallest picture accepted, in pixels.</summary>
    public int MaxHeight { get; }

    /// <summary>The most pixels (width x height) accepted.</summary>
    public long MaxPixels { get; }

    /// <summary>A progressive JPEG holds all its coefficients while it decodes: its pixels weigh more (<see cref="ProgressiveJpeg"/>).</summary>
    internal void EnsureProgressiveJpegWithin(long width, long height, long weightedPixels)
    {
        if (weightedPixels > MaxPixels)
        {
            var allowed = MaxPixels * width * height / weightedPixels;
            throw new ImageTooLargeException(width, height,
                $"a progressive JPEG of this kind is decoded whole, so at most {allowed} pixels are accepted for one ({width * height} sent); send it as a baseline JPEG or PNG, or smaller");
        }
    }

    internal void EnsureWithin(long width, long height)
    {
        if (width > MaxWidth || height > MaxHeight)
        {
            throw new ImageTooLargeException(width, height, $"at most {MaxWidth}x{MaxHeight} pixels are accepted");
        }

        if (width * height > MaxPixels)
        {
            throw new ImageTooLargeException(width, height, $"at most {MaxPixels} pixels in all are accepted ({width * height} sent)");
        }
    }
}
