using System.Numerics.Tensors;

namespace Mnist.Model.Imaging;

/// <summary>
/// Maps each grey level to MNIST ink, 0 (background) to 255 (full stroke): inverted when the background is
/// light, stretched so the background is 0 and the strongest ink 255 (paper in a photo is not 255, pencil is
/// not 0), with a noise floor so JPEG ringing and paper texture do not become faint ink.
/// </summary>
internal static class InkLevels
{
    /// <summary>
    /// Ink this strong (a quarter of the contrast) counts towards the bounding box: well above JPEG noise and
    /// smudges, yet low enough that a lighter stroke of the same digit is not cropped away.
    /// </summary>
    public const float BoxThreshold = 64f;

    /// <summary>Below 8% of the contrast is background: JPEG noise on flat paper stays well under it.</summary>
    private const float NoiseFloor = 20f;

    /// <summary>Less contrast than this between background and ink means there is nothing drawn.</summary>
    private const int MinContrast = 32;

    public static void Build(ReadOnlySpan<byte> gray, byte background, bool lightBackground, Span<float> levels)
    {
        int darkest = TensorPrimitives.Min(gray), lightest = TensorPrimitives.Max(gray);
        var backgroundInk = lightBackground ? 255 - background : background;
        var peakInk = lightBackground ? 255 - darkest : lightest;
        var contrast = peakInk - backgroundInk;
        if (contrast < MinContrast)
        {
            var shade = lightBackground ? "darker" : "lighter";
            throw new NoDigitException(
                $"the picture is nearly uniform (grey levels {darkest}..{lightest} on a background of {background}); " +
                $"draw the digit clearly {shade} than the background");
        }

        for (var level = 0; level < 256; level++)
        {
            var ink = lightBackground ? 255 - level : level;
            var stretched = (ink - backgroundInk) * 255f / contrast;
            levels[level] = stretched < NoiseFloor ? 0f : Math.Min(stretched, 255f);
        }
    }

    /// <summary>
    /// The grey levels that are not ink: a contiguous range because <paramref name="levels"/> is monotonic,
    /// so rows can be scanned with vectorised range searches.
    /// </summary>
    public static (byte Low, byte High) NonInkRange(ReadOnlySpan<float> levels, bool lightBackground)
    {
        if (lightBackground)
        {
            var low = 255;
            while (low > 0 && levels[low - 1] < BoxThreshold)
            {
                low--;
            }

            return ((byte)low, 255);
        }

        var high = 0;
        while (high < 255 && levels[high + 1] < BoxThreshold)
        {
            high++;
        }

        return (0, (byte)high);
    }
}
