namespace Mnist.Model.Imaging;

/// <summary>
/// Turns a greyscale picture of one digit into MNIST's input the way MNIST itself was made: light ink on black,
/// the ink's bounding box scaled (aspect kept, area-averaged) to fit 20x20, placed in 28x28 so the centre of
/// mass sits at (14, 14). Pure computation on spans.
/// </summary>
public static class DigitPreprocessor
{
    /// <summary>Side of the box the digit is scaled to fit.</summary>
    public const int DigitBoxSide = 20;

    private const byte LightBackground = 128;

    /// <summary>
    /// Writes the 784 MNIST pixels (row-major, 0 = background, 255 = ink) for the picture
    /// <paramref name="gray"/> of <paramref name="width"/> x <paramref name="height"/>.
    /// </summary>
    /// <remarks>
    /// The background is the median of the border pixels; a light one is inverted. A 28x28 picture with a dark
    /// background is taken to be MNIST already and copied unchanged.
    /// </remarks>
    /// <exception cref="NoDigitException">The picture is blank or nearly uniform.</exception>
    public static void ToMnist(ReadOnlySpan<byte> gray, int width, int height, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (gray.Length != width * height)
        {
            throw new ArgumentException($"expected {width}x{height} = {width * height} pixels, got {gray.Length}", nameof(gray));
        }

        if (destination.Length != MnistShape.PixelCount)
        {
            throw new ArgumentException($"expected room for {MnistShape.PixelCount} pixels, got {destination.Length}", nameof(destination));
        }

        var background = BorderStatistics.Median(gray, width, height);
        var lightBackground = background >= LightBackground;
        if (width == MnistShape.ImageSide && height == MnistShape.ImageSide && !lightBackground)
        {
            gray.CopyTo(destination);
            return;
        }

        Span<float> levels = stackalloc float[256];
        InkLevels.Build(gray, background, lightBackground, levels);
        var (nonInkLow, nonInkHigh) = InkLevels.NonInkRange(levels, lightBackground);
        var box = InkBounds.Find(gray, width, height, nonInkLow, nonInkHigh)
            ?? throw new NoDigitException("no stroke stands out from the background");

        var scale = (double)DigitBoxSide / Math.Max(box.Width, box.Height);
        var digitWidth = Math.Clamp((int)Math.Round(box.Width * scale), 1, DigitBoxSide);
        var digitHeight = Math.Clamp((int)Math.Round(box.Height * scale), 1, DigitBoxSide);
        Span<float> digit = stackalloc float[digitWidth * digitHeight];
        AreaResampler.Resample(gray, width, box, levels, digit, digitWidth, digitHeight);
        DigitPlacement.PlaceByCentreOfMass(digit, digitWidth, digitHeight, destination);
    }
}
