namespace Mnist.Model;

/// <summary>
/// MNIST's shapes, declared once for the data set, the image preparation, the network and every API: a 28x28 grey
/// image in, one score per digit out.
/// </summary>
public static class MnistShape
{
    /// <summary>Side of the square image.</summary>
    public const int ImageSide = 28;

    /// <summary>Pixels per image, row-major.</summary>
    public const int PixelCount = ImageSide * ImageSide;

    /// <summary>Classes: the digits 0-9.</summary>
    public const int ClassCount = 10;

    /// <summary>The digit with the highest score (the first one on a tie).</summary>
    public static int MostLikely(ReadOnlySpan<float> scores)
    {
        var best = 0;
        for (var i = 1; i < scores.Length; i++)
        {
            if (scores[i] > scores[best])
            {
                best = i;
            }
        }

        return best;
    }
}
