namespace Mnist.Tests;

/// <summary>How alike two MNIST images are.</summary>
internal static class PixelComparison
{
    public static double MeanAbsoluteDifference(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += Math.Abs(a[i] - b[i]);
        }

        return sum / a.Length;
    }

    public static double Correlation(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        double meanA = 0, meanB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            meanA += a[i];
            meanB += b[i];
        }

        meanA /= a.Length;
        meanB /= b.Length;
        double cov = 0, varA = 0, varB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            cov += (a[i] - meanA) * (b[i] - meanB);
            varA += (a[i] - meanA) * (a[i] - meanA);
            varB += (b[i] - meanB) * (b[i] - meanB);
        }

        return cov / Math.Sqrt(varA * varB);
    }

    /// <summary><paramref name="image"/> shifted by at most one pixel each way to best match <paramref name="reference"/>.</summary>
    public static byte[] BestAlignedWithinOnePixel(byte[] image, byte[] reference)
    {
        var best = image;
        var bestDifference = MeanAbsoluteDifference(image, reference);
        for (var dy = -1; dy <= 1; dy++)
        {
            for (var dx = -1; dx <= 1; dx++)
            {
                var shifted = new byte[784];
                for (var y = Math.Max(0, dy); y < Math.Min(28, 28 + dy); y++)
                {
                    for (var x = Math.Max(0, dx); x < Math.Min(28, 28 + dx); x++)
                    {
                        shifted[(y * 28) + x] = image[((y - dy) * 28) + x - dx];
                    }
                }

                var difference = MeanAbsoluteDifference(shifted, reference);
                if (difference < bestDifference)
                {
                    (best, bestDifference) = (shifted, difference);
                }
            }
        }

        return best;
    }

    /// <summary>(left, top, right, bottom) of the non-zero pixels of a 28x28 image, inclusive.</summary>
    public static (int Left, int Top, int Right, int Bottom) InkBounds(ReadOnlySpan<byte> mnist)
    {
        int left = 28, top = 28, right = -1, bottom = -1;
        for (var i = 0; i < mnist.Length; i++)
        {
            if (mnist[i] > 0)
            {
                left = Math.Min(left, i % 28);
                right = Math.Max(right, i % 28);
                top = Math.Min(top, i / 28);
                bottom = Math.Max(bottom, i / 28);
            }
        }

        return (left, top, right, bottom);
    }

    /// <summary>Centre of mass in pixel indices, the convention MNIST was centred with.</summary>
    public static (double X, double Y) CentreOfMass(ReadOnlySpan<byte> mnist)
    {
        double mass = 0, x = 0, y = 0;
        for (var i = 0; i < mnist.Length; i++)
        {
            mass += mnist[i];
            x += i % 28 * mnist[i];
            y += i / 28 * mnist[i];
        }

        return (x / mass, y / mass);
    }
}
