namespace Mnist.Model.Imaging;

/// <summary>
/// The largest picture the decoders accept. Checked against the dimensions in the file's header before any
/// pixel is decoded, so a file that claims to be huge costs nothing.
/// </summary>
public sealed class ImageLimits
{
    /// <summary>The default bound on each side, in pixels.</summary>
    public const int DefaultMaxSide = 4096;

    /// <summary>The largest bound that can be configured: a 16384x16384 RGBA picture already needs 1 GiB.</summary>
    public const int MaxConfigurableSide = 16384;

    /// <summary>Creates limits of at most <paramref name="maxWidth"/> x <paramref name="maxHeight"/> pixels.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A bound is below 1 or above <see cref="MaxConfigurableSide"/>.</exception>
    public ImageLimits(int maxWidth = DefaultMaxSide, int maxHeight = DefaultMaxSide)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWidth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxWidth, MaxConfigurableSide);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHeight, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxHeight, MaxConfigurableSide);
        MaxWidth = maxWidth;
        MaxHeight = maxHeight;
    }

    /// <summary>4096x4096 pixels.</summary>
    public static ImageLimits Default { get; } = new();

    /// <summary>The widest picture accepted, in pixels.</summary>
    public int MaxWidth { get; }

    /// <summary>The tallest picture accepted, in pixels.</summary>
    public int MaxHeight { get; }

    internal void EnsureWithin(long width, long height)
    {
        if (width > MaxWidth || height > MaxHeight)
        {
            throw new ImageTooLargeException(width, height, MaxWidth, MaxHeight);
        }
    }
}
