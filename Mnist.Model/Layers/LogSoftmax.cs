namespace Mnist.Model.Layers;

// (N, Classes) -> (N, Classes), over the class dimension.

/// <summary>log(softmax(x)) computed stably as x - max - log(sum(exp(x - max))); Backward needs only the output.</summary>
internal sealed class LogSoftmax(int classes)
{
    public int Classes { get; } = classes;

    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        for (var row = 0; row < input.Length; row += Classes)
        {
            var x = input.Slice(row, Classes);
            var y = output.Slice(row, Classes);
            var max = float.NegativeInfinity;
            foreach (var v in x)
            {
                max = MathF.Max(max, v);
            }

            var sum = 0f;
            foreach (var v in x)
            {
                sum += MathF.Exp(v - max);
            }

            var logSum = MathF.Log(sum);
            for (var j = 0; j < Classes; j++)
            {
                y[j] = x[j] - max - logSum;
            }
        }
    }

    /// <summary>dx = dy - softmax(x) * sum(dy), per row.</summary>
    public void Backward(ReadOnlySpan<float> output, ReadOnlySpan<float> outputGrad, Span<float> inputGrad)
    {
        for (var row = 0; row < output.Length; row += Classes)
        {
            var dy = outputGrad.Slice(row, Classes);
            var sum = 0f;
            foreach (var v in dy)
            {
                sum += v;
            }

            for (var j = 0; j < Classes; j++)
            {
                inputGrad[row + j] = dy[j] - (MathF.Exp(output[row + j]) * sum);
            }
        }
    }
}
