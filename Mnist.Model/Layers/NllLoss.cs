namespace Mnist.Model.Layers;

// (N, Classes) log-probabilities and (N) labels -> scalar: -sum(logp[i, label_i]) / divisor.

/// <summary>
/// Negative log-likelihood with mean reduction. The divisor is the whole batch size, so a batch split
/// across workers still gives PyTorch's mean when the workers' losses are added.
/// </summary>
internal sealed class NllLoss(int classes)
{
    public int Classes { get; } = classes;

    public float Forward(ReadOnlySpan<float> logProbabilities, ReadOnlySpan<byte> labels, int divisor)
    {
        var sum = 0.0;
        for (var i = 0; i < labels.Length; i++)
        {
            sum -= logProbabilities[(i * Classes) + CheckedLabel(labels[i])];
        }

        return (float)(sum / divisor);
    }

    /// <summary>Overwrites <paramref name="inputGrad"/>: -1/divisor at each label, 0 elsewhere.</summary>
    public void Backward(ReadOnlySpan<byte> labels, Span<float> inputGrad, int divisor)
    {
        inputGrad[..(labels.Length * Classes)].Clear();
        for (var i = 0; i < labels.Length; i++)
        {
            inputGrad[(i * Classes) + CheckedLabel(labels[i])] = -1f / divisor;
        }
    }

    private int CheckedLabel(byte label) => label < Classes
        ? label
        : throw new ArgumentOutOfRangeException(nameof(label), label, $"Labels must be in [0, {Classes - 1}].");
}
