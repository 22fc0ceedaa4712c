namespace Mnist.Model.Imaging;

/// <summary>
/// The header claims more pixels than <see cref="ImageLimits"/> allows; nothing was decoded.
/// A gRPC server maps it to RESOURCE_EXHAUSTED.
/// </summary>
public sealed class ImageTooLargeException : ImageRejectedException
{
    /// <summary>Creates the exception for a picture of <paramref name="width"/> x <paramref name="height"/>; <paramref name="limit"/> says the bound it broke.</summary>
    public ImageTooLargeException(long width, long height, string limit)
        : base($"image is {width}x{height}; {limit}")
    {
        Width = width;
        Height = height;
    }

    /// <summary>The width the header claims.</summary>
    public long Width { get; }

    /// <summary>The height the header claims.</summary>
    public long Height { get; }
}
