namespace Mnist.Tests;

/// <summary>
/// Compares an analytic gradient with central finite differences. The scalar under test is computed and
/// differenced in double; only the layer itself runs in float.
/// </summary>
internal static class GradientCheck
{
    /// <summary>
    /// For each checked element j of <paramref name="values"/>: (L(x + h e_j) - L(x - h e_j)) / 2h must be within
    /// <paramref name="absoluteTolerance"/> + <paramref name="relativeTolerance"/> * |numeric| of analytic[j].
    /// </summary>
    /// <param name="layer">Named in the failure message.</param>
    /// <param name="tensor">Named in the failure message.</param>
    /// <param name="values">The tensor to perturb (restored afterwards).</param>
    /// <param name="analytic">The gradient the layer computed for it.</param>
    /// <param name="loss">The scalar, recomputed from scratch on each call.</param>
    /// <param name="elements">Indices to check; all when null.</param>
    public static void AssertMatches(
        string layer, string tensor, float[] values, ReadOnlySpan<float> analytic, Func<double> loss,
        double step = 1e-2, double absoluteTolerance = 1e-3, double relativeTolerance = 1e-2, IEnumerable<int>? elements = null)
    {
        Assert.That(analytic.Length, Is.EqualTo(values.Length), $"{layer} {tensor}: gradient length");
        var worst = (Index: -1, Excess: double.NegativeInfinity, Analytic: 0.0, Numeric: 0.0);
        var checkedCount = 0;
        foreach (var j in elements ?? Enumerable.Range(0, values.Length))
        {
            var original = values[j];
            values[j] = (float)(original + step);
            var plus = loss();
            values[j] = (float)(original - step);
            var minus = loss();
            values[j] = original;

            // The float perturbation is what the layer saw, so divide by it rather than by 2h.
            var actualStep = (double)(float)(original + step) - (float)(original - step);
            var numeric = (plus - minus) / actualStep;
            var excess = Math.Abs(analytic[j] - numeric) - (absoluteTolerance + (relativeTolerance * Math.Abs(numeric)));
            if (excess > worst.Excess)
            {
                worst = (j, excess, analytic[j], numeric);
            }

            checkedCount++;
        }

        Assert.That(checkedCount, Is.GreaterThan(0), $"{layer} {tensor}: no element checked");
        Assert.That(
            worst.Excess,
            Is.LessThanOrEqualTo(0),
            $"{layer} {tensor}[{worst.Index}]: analytic {worst.Analytic:G6} vs numeric {worst.Numeric:G6} " +
            $"(tolerance {absoluteTolerance} + {relativeTolerance}*|numeric|)");
    }

    /// <summary>sum(output * weights) in double: a scalar whose gradient with respect to output is <paramref name="weights"/>.</summary>
    public static double Project(ReadOnlySpan<float> output, ReadOnlySpan<float> weights)
    {
        var sum = 0.0;
        for (var i = 0; i < output.Length; i++)
        {
            sum += (double)output[i] * weights[i];
        }

        return sum;
    }

    /// <summary>Uniform values in [-scale, scale) from a seeded generator.</summary>
    public static float[] RandomValues(Random random, int length, float scale = 1f)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = (float)(((random.NextDouble() * 2) - 1) * scale);
        }

        return values;
    }
}
