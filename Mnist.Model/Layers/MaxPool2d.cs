namespace Mnist.Model.Layers;

// (N, C, H, W) -> (N, C, H/2, W/2); window 2x2, stride 2 (odd edges dropped, as PyTorch's floor mode).

/// <summary>2x2 max-pooling. Forward records, per output, the input offset that won; Backward routes the gradient there.</summary>
internal sealed class MaxPool2d(int channels, int inputHeight, int inputWidth)
{
    public int Channels { get; } = channels;
    public int InputHeight { get; } = inputHeight;
    public int InputWidth { get; } = inputWidth;
    public int OutputHeight => InputHeight / 2;
    public int OutputWidth => InputWidth / 2;
    public int InputSize => Channels * InputHeight * InputWidth;
    public int OutputSize => Channels * OutputHeight * OutputWidth;

    /// <param name="winners">Per output element, the offset of the chosen input inside its image.</param>
    public void Forward(ReadOnlySpan<float> input, Span<float> output, Span<int> winners)
    {
        var n = input.Length / InputSize;
        int oh = OutputHeight, ow = OutputWidth, w = InputWidth;
        for (var i = 0; i < n; i++)
        {
            var image = input.Slice(i * InputSize, InputSize);
            var o = i * OutputSize;
            for (var c = 0; c < Channels; c++)
            {
                var planeStart = c * InputHeight * w;
                for (var y = 0; y < oh; y++)
                {
                    var top = planeStart + (2 * y * w);
                    for (var x = 0; x < ow; x++, o++)
                    {
                        // Scan order and the strict '>' match PyTorch: the first maximum wins; NaN propagates.
                        var first = top + (2 * x);
                        var best = first;
                        var max = image[first];
                        Consider(image, first + 1, ref best, ref max);
                        Consider(image, first + w, ref best, ref max);
                        Consider(image, first + w + 1, ref best, ref max);
                        output[o] = max;
                        winners[o] = best;
                    }
                }
            }
        }
    }

    /// <summary>Overwrites <paramref name="inputGrad"/>: each output's gradient goes to its winning input, zero elsewhere.</summary>
    public void Backward(ReadOnlySpan<float> outputGrad, ReadOnlySpan<int> winners, Span<float> inputGrad)
    {
        var n = outputGrad.Length / OutputSize;
        inputGrad[..(n * InputSize)].Clear();
        for (var i = 0; i < n; i++)
        {
            var image = inputGrad.Slice(i * InputSize, InputSize);
            var o = i * OutputSize;
            for (var j = 0; j < OutputSize; j++)
            {
                image[winners[o + j]] += outputGrad[o + j];
            }
        }
    }

    private static void Consider(ReadOnlySpan<float> image, int index, ref int best, ref float max)
    {
        var value = image[index];
        if (value > max || float.IsNaN(value))
        {
            max = value;
            best = index;
        }
    }
}
