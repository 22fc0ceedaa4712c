using System.Numerics.Tensors;
using Mnist.Model.Blas;

namespace Mnist.Model.Layers;

// (N, Cin, H, W) -> (N, Cout, H-K+1, W-K+1); square kernel K, stride 1, no padding.
// Weight [Cout, Cin, K, K], bias [Cout] (PyTorch layout).

/// <summary>
/// 2-D convolution, stride 1, no padding, as im2col followed by one GEMM per image.
/// </summary>
/// <remarks>
/// The columns are "wide": each output row is computed at all W input columns, not just the W-K+1 valid
/// ones, so every im2col row is one contiguous copy of a shifted input plane (and col2im one contiguous
/// add) instead of OH short copies. The K-1 extra columns per row cost about 8% more GEMM work here, and
/// are dropped (forward) or given a zero gradient (backward); each wide output column depends only on
/// its own im2col column, so they never mix into the valid ones.
/// </remarks>
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

    /// <summary>Floats of the per-call workspace: wide im2col columns and one wide output image.</summary>
    public int ColumnsSize => (PatchSize + OutChannels) * WidePlane;

    private int PatchSize => InChannels * Kernel * Kernel;

    // An output plane computed at every input column: OH rows of W.
    private int WidePlane => OutputHeight * InputWidth;

    public void Forward(
        ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> workspace)
    {
        var n = input.Length / InputSize;
        var cols = Columns(workspace);
        var wide = Wide(workspace);
        int plane = OutputHeight * OutputWidth, oh = OutputHeight, ow = OutputWidth, w = InputWidth;
        for (var i = 0; i < n; i++)
        {
            Im2Col(input.Slice(i * InputSize, InputSize), cols);
            Gemm.Multiply(false, false, OutChannels, WidePlane, PatchSize, weight, PatchSize, cols, WidePlane, 0f, wide, WidePlane);
            var image = output.Slice(i * OutputSize, OutputSize);
            for (var c = 0; c < OutChannels; c++)
            {
                for (var y = 0; y < oh; y++)
                {
                    TensorPrimitives.Add(wide.Slice((c * WidePlane) + (y * w), ow), bias[c], image.Slice((c * plane) + (y * ow), ow));
                }
            }
        }
    }

    /// <summary>Adds dL/dW and dL/db; writes dL/dx unless <paramref name="inputGrad"/> is empty (first layer).</summary>
    public void Backward(
        ReadOnlySpan<float> input, ReadOnlySpan<float> outputGrad, Span<float> inputGrad, ReadOnlySpan<float> weight,
        Span<float> weightGrad, Span<float> biasGrad, Span<float> workspace)
    {
        var n = input.Length / InputSize;
        var cols = Columns(workspace);
        var wideGrad = Wide(workspace);
        int plane = OutputHeight * OutputWidth, oh = OutputHeight, ow = OutputWidth, w = InputWidth;
        wideGrad.Clear(); // the extra columns stay zero from here on
        for (var i = 0; i < n; i++)
        {
            var imageGrad = outputGrad.Slice(i * OutputSize, OutputSize);
            for (var c = 0; c < OutChannels; c++)
            {
                var channelGrad = imageGrad.Slice(c * plane, plane);
                biasGrad[c] += TensorPrimitives.Sum(channelGrad);
                for (var y = 0; y < oh; y++)
                {
                    channelGrad.Slice(y * ow, ow).CopyTo(wideGrad.Slice((c * WidePlane) + (y * w), ow));
                }
            }

            // dW [Cout x CKK] += dY [Cout x P] . cols^T [P x CKK]
            Im2Col(input.Slice(i * InputSize, InputSize), cols);
            Gemm.Multiply(false, true, OutChannels, PatchSize, WidePlane, wideGrad, WidePlane, cols, WidePlane, 1f, weightGrad, PatchSize);

            if (!inputGrad.IsEmpty)
            {
                // dcols [CKK x P] = W^T [CKK x Cout] . dY [Cout x P], then fold back onto the image.
                Gemm.Multiply(true, false, PatchSize, WidePlane, OutChannels, weight, PatchSize, wideGrad, WidePlane, 0f, cols, WidePlane);
                Col2Im(cols, inputGrad.Slice(i * InputSize, InputSize));
            }
        }
    }

    /// <summary>
    /// Row (c, ky, kx) of the wide columns is input plane c read from offset ky*W + kx: at wide position
    /// oy*W + ox it holds input[c, oy+ky, ox+kx] (garbage, here zero or a neighbouring row, where ox &gt;= OW).
    /// </summary>
    internal void Im2Col(ReadOnlySpan<float> image, Span<float> columns)
    {
        var planeSize = InputHeight * InputWidth;
        var row = 0;
        for (var c = 0; c < InChannels; c++)
        {
            var channel = image.Slice(c * planeSize, planeSize);
            for (var ky = 0; ky < Kernel; ky++)
            {
                for (var kx = 0; kx < Kernel; kx++, row++)
                {
                    var offset = (ky * InputWidth) + kx;
                    var length = Math.Min(WidePlane, planeSize - offset);
                    var destination = columns.Slice(row * WidePlane, WidePlane);
                    channel.Slice(offset, length).CopyTo(destination);
                    destination[length..].Clear();
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="Im2Col"/> for columns whose garbage positions are zero; overwrites <paramref name="image"/>.</summary>
    internal void Col2Im(ReadOnlySpan<float> columns, Span<float> image)
    {
        image.Clear();
        var planeSize = InputHeight * InputWidth;
        var row = 0;
        for (var c = 0; c < InChannels; c++)
        {
            var channel = image.Slice(c * planeSize, planeSize);
            for (var ky = 0; ky < Kernel; ky++)
            {
                for (var kx = 0; kx < Kernel; kx++, row++)
                {
                    var offset = (ky * InputWidth) + kx;
                    var length = Math.Min(WidePlane, planeSize - offset);
                    var target = channel.Slice(offset, length);
                    TensorPrimitives.Add(target, columns.Slice(row * WidePlane, length), target);
                }
            }
        }
    }

    private Span<float> Columns(Span<float> workspace)
    {
        if (workspace.Length < ColumnsSize)
        {
            throw new ArgumentException($"The workspace needs {ColumnsSize} floats, got {workspace.Length}.", nameof(workspace));
        }

        return workspace[..(PatchSize * WidePlane)];
    }

    private Span<float> Wide(Span<float> workspace) => workspace.Slice(PatchSize * WidePlane, OutChannels * WidePlane);
}
