namespace Mnist.Model.Imaging;

/// <summary>
/// Reads a PNG or JPEG of a handwritten digit, as a user would photograph, scan or draw it, into MNIST's 28x28
/// input. Thread-safe; one instance can serve all requests.
/// </summary>
public sealed class DigitImageReader
{
    /// <summary>Creates a reader that refuses pictures larger than <paramref name="limits"/>.</summary>
    public DigitImageReader(ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        Limits = limits;
    }

    /// <summary>The largest picture accepted.</summary>
    public ImageLimits Limits { get; }

    /// <summary>
    /// Decodes <paramref name="encoded"/> and writes the 784 MNIST pixels (row-major, 0 = background,
    /// 255 = ink) into <paramref name="mnistPixels"/>.
    /// </summary>
    /// <exception cref="ImageDecodeException">Empty, not PNG or JPEG, corrupt or truncated (INVALID_ARGUMENT).</exception>
    /// <exception cref="ImageTooLargeException">Larger than <see cref="Limits"/> (RESOURCE_EXHAUSTED).</exception>
    /// <exception cref="NoDigitException">Blank or nearly uniform (INVALID_ARGUMENT).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired during the decode.</exception>
    public void ReadDigit(ReadOnlyMemory<byte> encoded, Span<byte> mnistPixels, CancellationToken cancellationToken = default)
    {
        if (mnistPixels.Length != MnistShape.PixelCount)
        {
            throw new ArgumentException(
                $"expected room for {MnistShape.PixelCount} pixels, got {mnistPixels.Length}", nameof(mnistPixels));
        }

        using var image = ImageDecoder.Decode(encoded, Limits, cancellationToken);
        DigitPreprocessor.ToMnist(image.Pixels, image.Width, image.Height, mnistPixels);
    }
}
