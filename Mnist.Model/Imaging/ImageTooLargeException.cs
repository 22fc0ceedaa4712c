namespace Mnist.Model.Imaging;

/// <summary>
/// The header claims more pixels than <see cref="ImageLimits"/> allows; nothing was decoded.
/// A gRPC server maps it to RESOURCE_EXHAUSTED.
/// </summary>
public sealed class ImageTooLargeException : ImageRejectedException
{
    /// <summary>Creates the exception for a picture of <paramref name="width"/> x <paramref name="height"/>.</summary>
    public ImageTooLargeException(long width, long height, int maxWidth, int maxHeight)
        : base($"image is {width}x{height}; at most {maxWidth}x{maxHeight} pixels are accepted")
    {
        Width = width;
        Height = height;
        MaxWidth = maxWidth;
        MaxHeight = maxHeight;
    }

    /// <summary>The width the header claims.</summary>
    public long Width { get; }

    /// <summary>The height the header claims.</summary>
    public long Height { get; }

    /// <summary>The widest picture accepted.</summary>
    public int MaxWidth { get; }

    /// <summary>The tallest picture accepted.</summary>
    public int MaxHeight { get; }
}
