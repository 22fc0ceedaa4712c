using System.Numerics.Tensors;
using Mnist.Model.Blas;

namespace Mnist.Model.Layers;

// (N, Cin, H, W) -> (N, Cout, H-K+1, W-K+1); square kernel K, stride 1, no padding.
// Weight [Cout, Cin, K, K], bias [Cout] (PyTorch layout). im2col + GEMM per image.

/// <summary>2-D convolution, stride 1, no padding, as im2col followed by one GEMM per image.</summary>
internal sealed class Conv2d(int inChannels, int outChannels, int kernel, int inputHeight, int inputWidth)
{
    public int InChannels { get; } = inChannels;
    public int OutChannels { get; } = outChannels;
    public int Kernel { get; } = kernel;
    public int InputHeight { get; } = inputHeight;
    public int InputWidth { get; } = inputWidth;
    public int OutputHeight => InputHeight - Kernel + 1;
    public int OutputWidth => InputWidth - Kernel + 1;
    public int InputSize => InChannels * InputHeight * InputWidth;
    public int OutputSize => OutChannels * OutputHeight * OutputWidth;
    public int WeightSize => OutChannels * PatchSize;

    /// <summary>Floats of the per-image im2col workspace: (Cin*K*K) x (OH*OW).</summary>
    public int ColumnsSize => PatchSize * OutputHeight * OutputWidth;

    private int PatchSize => InChannels * Kernel * Kernel;

    public void Forward(
        ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> columns)
    {
        var n = input.Length / InputSize;
        var plane = OutputHeight * OutputWidth;
        for (var i = 0; i < n; i++)
        {
            var image = output.Slice(i * OutputSize, OutputSize);
            for (var c = 0; c < OutChannels; c++)
            {
                image.Slice(c * plane, plane).Fill(bias[c]);
            }

            var cols = columns[..ColumnsSize];
            Im2Col(input.Slice(i * InputSize, InputSize), cols);
            Gemm.Multiply(false, false, OutChannels, plane, PatchSize, weight, PatchSize, cols, plane, 1f, image, plane);
        }
    }

    /// <summary>Adds dL/dW and dL/db; writes dL/dx unless <paramref name="inputGrad"/> is empty (first layer).</summary>
    public void Backward(
        ReadOnlySpan<float> input, ReadOnlySpan<float> outputGrad, Span<float> inputGrad, ReadOnlySpan<float> weight,
        Span<float> weightGrad, Span<float> biasGrad, Span<float> columns)
    {
        var n = input.Length / InputSize;
        var plane = OutputHeight * OutputWidth;
        var cols = columns[..ColumnsSize];
        for (var i = 0; i < n; i++)
        {
            var imageGrad = outputGrad.Slice(i * OutputSize, OutputSize);
            for (var c = 0; c < OutChannels; c++)
            {
                biasGrad[c] += TensorPrimitives.Sum(imageGrad.Slice(c * plane, plane));
            }

            // dW [Cout x CKK] += dY [Cout x P] . cols^T [P x CKK]
            Im2Col(input.Slice(i * InputSize, InputSize), cols);
            Gemm.Multiply(false, true, OutChannels, PatchSize, plane, imageGrad, plane, cols, plane, 1f, weightGrad, PatchSize);

            if (!inputGrad.IsEmpty)
            {
                // dcols [CKK x P] = W^T [CKK x Cout] . dY [Cout x P], then fold back onto the image.
                Gemm.Multiply(true, false, PatchSize, plane, OutChannels, weight, PatchSize, imageGrad, plane, 0f, cols, plane);
                Col2Im(cols, inputGrad.Slice(i * InputSize, InputSize));
            }
        }
    }

    /// <summary>Row (c, ky, kx) of the columns holds input[c, oy+ky, ox+kx] for every output position (oy, ox).</summary>
    internal void Im2Col(ReadOnlySpan<float> image, Span<float> columns)
    {
        int oh = OutputHeight, ow = OutputWidth, row = 0;
        for (var c = 0; c < InChannels; c++)
        {
            var channel = image.Slice(c * InputHeight * InputWidth, InputHeight * InputWidth);
            for (var ky = 0; ky < Kernel; ky++)
            {
                for (var kx = 0; kx < Kernel; kx++, row++)
                {
                    var destination = columns.Slice(row * oh * ow, oh * ow);
                    for (var oy = 0; oy < oh; oy++)
                    {
                        channel.Slice(((oy + ky) * InputWidth) + kx, ow).CopyTo(destination.Slice(oy * ow, ow));
                    }
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: overwrites <paramref name="image"/> with the summed columns.</summary>
    internal void Col2Im(ReadOnlySpan<float> columns, Span<float> image)
    {
        image.Clear();
        int oh = OutputHeight, ow = OutputWidth, row = 0;
        for (var c = 0; c < InChannels; c++)
        {
            var channel = image.Slice(c * InputHeight * InputWidth, InputHeight * InputWidth);
            for (var ky = 0; ky < Kernel; ky++)
            {
                for (var kx = 0; kx < Kernel; kx++, row++)
                {
                    var source = columns.Slice(row * oh * ow, oh * ow);
                    for (var oy = 0; oy < oh; oy++)
                    {
                        var target = channel.Slice(((oy + ky) * InputWidth) + kx, ow);
                        TensorPrimitives.Add(target, source.Slice(oy * ow, ow), target);
                    }
                }
            }
        }
    }
}
