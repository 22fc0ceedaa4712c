using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
        var outputs = n * OutputSize;
        if (output.Length < outputs || winners.Length < outputs)
        {
            throw new ArgumentException($"{n} images need {outputs} outputs and winners.", nameof(output));
        }

        ref var outputs0 = ref MemoryMarshal.GetReference(output);
        ref var winners0 = ref MemoryMarshal.GetReference(winners);
        var o = 0;
        for (var i = 0; i < n; i++)
        {
            // Every index below stays inside this image: 2*oh <= H and 2*ow <= W.
            ref readonly var image = ref input[i * InputSize];
            for (var c = 0; c < Channels; c++)
            {
                var planeStart = c * InputHeight * w;
                for (var y = 0; y < oh; y++)
                {
                    var top = planeStart + (2 * y * w);
                    for (var x = 0; x < ow; x++, o++)
                    {
                        // Scan order and the strict '>' match PyTorch: the first maximum wins; NaN propagates.
                        var best = top + (2 * x);
                        var max = Unsafe.Add(ref Unsafe.AsRef(in image), best);
                        var candidate = best + 1;
                        var value = Unsafe.Add(ref Unsafe.AsRef(in image), candidate);
                        if (value > max || float.IsNaN(value))
                        {
                            (max, best) = (value, candidate);
                        }

                        candidate = top + (2 * x) + w;
                        value = Unsafe.Add(ref Unsafe.AsRef(in image), candidate);
                        if (value > max || float.IsNaN(value))
                        {
                            (max, best) = (value, candidate);
                        }

                        candidate++;
                        value = Unsafe.Add(ref Unsafe.AsRef(in image), candidate);
                        if (value > max || float.IsNaN(value))
                        {
                            (max, best) = (value, candidate);
                        }

                        Unsafe.Add(ref outputs0, o) = max;
                        Unsafe.Add(ref winners0, o) = best;
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
}
