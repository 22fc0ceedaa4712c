using System.Numerics.Tensors;
using Mnist.Model.Blas;

namespace Mnist.Model.Layers;

// (N, In) -> (N, Out); weight [Out, In], bias [Out] (PyTorch layout): y = x . W^T + b.

/// <summary>Fully connected layer as one GEMM over the batch.</summary>
internal sealed class Linear(int inFeatures, int outFeatures)
{
    public int InFeatures { get; } = inFeatures;
    public int OutFeatures { get; } = outFeatures;

    public void Forward(ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias)
    {
        var n = input.Length / InFeatures;
        for (var i = 0; i < n; i++)
        {
            bias.CopyTo(output.Slice(i * OutFeatures, OutFeatures));
        }

        if (n == 1)
        {
            // One image (single-image inference): a GEMM would first repack the whole weight matrix.
            Gemm.MultiplyVector(OutFeatures, InFeatures, weight, InFeatures, input, 1f, output);
            return;
        }

        Gemm.Multiply(false, true, n, OutFeatures, InFeatures, input, InFeatures, weight, InFeatures, 1f, output, OutFeatures);
    }

    /// <summary>Adds dL/dW and dL/db; writes dL/dx unless <paramref name="inputGrad"/> is empty.</summary>
    public void Backward(
        ReadOnlySpan<float> input, ReadOnlySpan<float> outputGrad, Span<float> inputGrad, ReadOnlySpan<float> weight,
        Span<float> weightGrad, Span<float> biasGrad)
    {
        var n = input.Length / InFeatures;
        for (var i = 0; i < n; i++)
        {
            TensorPrimitives.Add(biasGrad, outputGrad.Slice(i * OutFeatures, OutFeatures), biasGrad);
        }

        // dW [Out x In] += dY^T [Out x N] . x [N x In]
        Gemm.Multiply(true, false, OutFeatures, InFeatures, n, outputGrad, OutFeatures, input, InFeatures, 1f, weightGrad, InFeatures);
        if (!inputGrad.IsEmpty)
        {
            // dx [N x In] = dY [N x Out] . W [Out x In]
            Gemm.Multiply(false, false, n, InFeatures, OutFeatures, outputGrad, OutFeatures, weight, InFeatures, 0f, inputGrad, InFeatures);
        }
    }
}
