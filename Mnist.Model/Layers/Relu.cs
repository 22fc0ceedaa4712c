using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Mnist.Model.Layers;

// (any shape) -> (same shape), applied in place.

/// <summary>max(x, 0). Backward needs only the output: the gradient passes where the output is positive.</summary>
internal static class Relu
{
    public static void Forward(Span<float> values) => TensorPrimitives.Max(values, 0f, values);

    /// <summary>In place on <paramref name="grad"/>: grad where output &gt; 0, else 0 (PyTorch's threshold_backward).</summary>
    public static void Backward(ReadOnlySpan<float> output, Span<float> grad)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= output.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var positive = Vector256.GreaterThan(Vector256.Create(output.Slice(i, Vector256<float>.Count)), Vector256<float>.Zero);
                var g = Vector256.Create(grad.Slice(i, Vector256<float>.Count));
                (g & positive).CopyTo(grad.Slice(i, Vector256<float>.Count));
            }
        }

        for (; i < output.Length; i++)
        {
            grad[i] = output[i] > 0f ? grad[i] : 0f;
        }
    }
}
