using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Mnist.Model.Blas;

namespace Mnist.Model.Layers;

// (Cin, N, H, W) -> (Cout, N, H-K+1, W-K+1), channel-major ("CNHW"); square kernel K, stride 1, no padding.
// Weight [Cout, Cin, K, K], bias [Cout] (PyTorch layout).

/// <summary>
/// 2-D convolution, stride 1, no padding, as im2col followed by one GEMM for the whole batch.
/// </summary>
/// <remarks>
/// Tensors are channel-major: all N images of channel 0, then channel 1, ... With that layout the im2col
/// columns of every image sit side by side, so forward is one GEMM W[Cout x CKK] . cols[CKK x N*P]
/// whose result is already the next layer's input, and backward is two GEMMs over the whole batch
/// (dW = dY . cols^T, dcols = W^T . dY) instead of 2N small ones that each repack W.
/// Forward leaves the columns in the workspace; Backward reuses them, then overwrites them.
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
    public int InputSize => InChannels * InputPlane;
    public int OutputSize => OutChannels * OutputPlane;
    public int WeightSize => OutChannels * PatchSize;

    // Images per dcols GEMM in Backward: 8 keeps conv2's chunk (288 x 8*576 floats) near the GEMM's full speed.
    private const int BackwardChunkImages = 8;

    private int PatchSize => InChannels * Kernel * Kernel;
    private int InputPlane => InputHeight * InputWidth;
    private int OutputPlane => OutputHeight * OutputWidth;

    /// <summary>Floats of the im2col workspace for <paramref name="images"/> images.</summary>
    public int ColumnsSize(int images) => PatchSize * OutputPlane * images;

    /// <summary>Writes the output and leaves the im2col columns of <paramref name="input"/> in <paramref name="columns"/> for Backward.</summary>
    public void Forward(
        ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> columns)
    {
        var n = input.Length / InputSize;
        var width = n * OutputPlane;
        var cols = Columns(columns, n);
        Im2Col(input, cols, n);
        for (var o = 0; o < OutChannels; o++)
        {
            output.Slice(o * width, width).Fill(bias[o]);
        }

        Gemm.Multiply(false, false, OutChannels, width, PatchSize, weight, PatchSize, cols, width, 1f, output, width);
    }

    /// <summary>
    /// Adds dL/dW and dL/db; writes dL/dx unless <paramref name="inputGrad"/> is empty (first layer).
    /// <paramref name="columns"/> must hold what Forward left there for this input; it is overwritten.
    /// </summary>
    public void Backward(
        ReadOnlySpan<float> outputGrad, Span<float> inputGrad, ReadOnlySpan<float> weight,
        Span<float> weightGrad, Span<float> biasGrad, Span<float> columns)
    {
        var n = outputGrad.Length / OutputSize;
        var width = n * OutputPlane;
        var cols = Columns(columns, n);
        for (var o = 0; o < OutChannels; o++)
        {
            biasGrad[o] += TensorPrimitives.Sum(outputGrad.Slice(o * width, width));
        }

        // dW [Cout x CKK] += dY [Cout x NP] . cols^T [NP x CKK]
        Gemm.Multiply(false, true, OutChannels, PatchSize, width, outputGrad, width, cols, width, 1f, weightGrad, PatchSize);
        if (!inputGrad.IsEmpty)
        {
            // dcols [CKK x NP] = W^T [CKK x Cout] . dY [Cout x NP], then fold back onto the images.
            // A few images at a time, so each chunk of dcols is still in cache when it is folded back.
            var images = inputGrad[..(n * InputSize)];
            images.Clear();
            for (var first = 0; first < n; first += BackwardChunkImages)
            {
                var count = Math.Min(BackwardChunkImages, n - first);
                var chunkWidth = count * OutputPlane;
                var chunk = cols[..(PatchSize * chunkWidth)];
                Gemm.Multiply(true, false, PatchSize, chunkWidth, OutChannels, weight, PatchSize, outputGrad[(first * OutputPlane)..], width, 0f, chunk, chunkWidth);
                Col2Im(chunk, images, n, first, count);
            }
        }
    }

    /// <summary>Row (c, ky, kx), column (i, oy, ox) of the columns is input[c, i, oy+ky, ox+kx].</summary>
    internal void Im2Col(ReadOnlySpan<float> input, Span<float> columns, int n)
    {
        int oh = OutputHeight, ow = OutputWidth, w = InputWidth, plane = InputPlane, outPlane = OutputPlane;
        var row = 0;
        for (var c = 0; c < InChannels; c++)
        {
            for (var ky = 0; ky < Kernel; ky++)
            {
                for (var kx = 0; kx < Kernel; kx++, row++)
                {
                    var destination = columns.Slice(row * n * outPlane, n * outPlane);
                    for (var i = 0; i < n; i++)
                    {
                        // Whole rows must fit: the last one ends at (oh-1+ky)*w + kx + ow <= plane.
                        ref readonly var source = ref input[(((c * n) + i) * plane) + (ky * w) + kx];
                        ref var target = ref destination[i * outPlane];
                        for (var y = 0; y < oh; y++)
                        {
                            CopyRow(in Unsafe.Add(ref Unsafe.AsRef(in source), y * w), ref Unsafe.Add(ref target, y * ow), ow);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The adjoint of <see cref="Im2Col"/> for images first..first+count-1 of the n in <paramref name="input"/>, whose
    /// columns (count images wide) it adds to <paramref name="input"/>.
    /// </summary>
    internal void Col2Im(ReadOnlySpan<float> columns, Span<float> input, int n, int first, int count)
    {
        int oh = OutputHeight, ow = OutputWidth, w = InputWidth, plane = InputPlane, outPlane = OutputPlane;
        var row = 0;
        for (var c = 0; c < InChannels; c++)
        {
            for (var ky = 0; ky < Kernel; ky++)
            {
                for (var kx = 0; kx < Kernel; kx++, row++)
                {
                    var source = columns.Slice(row * count * outPlane, count * outPlane);
                    for (var i = 0; i < count; i++)
                    {
                        ref var destination = ref input[(((c * n) + first + i) * plane) + (ky * w) + kx];
                        ref readonly var image = ref source[i * outPlane];
                        for (var y = 0; y < oh; y++)
                        {
                            AddRow(in Unsafe.Add(ref Unsafe.AsRef(in image), y * ow), ref Unsafe.Add(ref destination, y * w), ow);
                        }
                    }
                }
            }
        }
    }

    // Rows are short (24 floats for conv2): inline vector loops beat a call to a general copy or add.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRow(ref readonly float source, ref float destination, int length)
    {
        var x = 0;
        for (; x + Vector256<float>.Count <= length; x += Vector256<float>.Count)
        {
            Vector256.LoadUnsafe(in source, (nuint)x).StoreUnsafe(ref destination, (nuint)x);
        }

        for (; x < length; x++)
        {
            Unsafe.Add(ref destination, x) = Unsafe.Add(ref Unsafe.AsRef(in source), x);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRow(ref readonly float source, ref float destination, int length)
    {
        var x = 0;
        for (; x + Vector256<float>.Count <= length; x += Vector256<float>.Count)
        {
            (Vector256.LoadUnsafe(ref destination, (nuint)x) + Vector256.LoadUnsafe(in source, (nuint)x)).StoreUnsafe(ref destination, (nuint)x);
        }

        for (; x < length; x++)
        {
            Unsafe.Add(ref destination, x) += Unsafe.Add(ref Unsafe.AsRef(in source), x);
        }
    }

    private Span<float> Columns(Span<float> workspace, int n)
    {
        var size = ColumnsSize(n);
        if (workspace.Length < size)
        {
            throw new ArgumentException($"The columns of {n} images need {size} floats, got {workspace.Length}.", nameof(workspace));
        }

        return workspace[..size];
    }
}
