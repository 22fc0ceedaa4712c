using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Mnist.Model.Blas;

namespace Mnist.Model.Layers;

// (Cin, N, H, W) -> (Cout, N, H-K+1, W-K+1), channel-major ("CNHW"); square kernel K, stride 1, no padding.
// Weight [Cout, Cin, K, K], bias [Cout] (PyTorch layout).

/// <summary>
/// 2-D convolution, stride 1, no padding, as im2col followed by GEMMs over several images at once.
/// </summary>
/// <remarks>
/// Tensors are channel-major: all N images of channel 0, then channel 1, ... With that layout the im2col
/// columns of consecutive images sit side by side, so forward is one GEMM W[Cout x CKK] . cols[CKK x k*P]
/// per chunk of k images, writing straight into the next layer's input, and backward two per chunk
/// (dW += dY . cols^T, dcols = W^T . dY) instead of 2N small ones that each repack W.
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

    // Images per im2col chunk: 8 keeps conv2's columns (288 x 8*576 floats, 5.3 MB) in the last-level cache
    // between im2col and the GEMMs that read them, with GEMMs still wide enough for full speed (4 and 16
    // measured the same within noise).
    private const int ChunkImages = 8;

    private int PatchSize => InChannels * Kernel * Kernel;
    private int InputPlane => InputHeight * InputWidth;
    private int OutputPlane => OutputHeight * OutputWidth;

    /// <summary>Floats of the workspace (one chunk of im2col columns) for batches of up to <paramref name="images"/> images.</summary>
    public int WorkspaceSize(int images) => PatchSize * OutputPlane * Math.Min(images, ChunkImages);

    public void Forward(
        ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> workspace)
    {
        var n = input.Length / InputSize;
        var width = n * OutputPlane;
        CheckWorkspace(workspace, n);
        for (var o = 0; o < OutChannels; o++)
        {
            output.Slice(o * width, width).Fill(bias[o]);
        }

        for (var first = 0; first < n; first += ChunkImages)
        {
            var count = Math.Min(ChunkImages, n - first);
            var chunkWidth = count * OutputPlane;
            var cols = workspace[..(PatchSize * chunkWidth)];
            Im2Col(input, cols, n, first, count);
            // Y[:, chunk] [Cout x chunk] += W [Cout x CKK] . cols [CKK x chunk]
            Gemm.Multiply(false, false, OutChannels, chunkWidth, PatchSize, weight, PatchSize, cols, chunkWidth, 1f, output[(first * OutputPlane)..], width);
        }
    }

    /// <summary>Adds dL/dW and dL/db; writes dL/dx unless <paramref name="inputGrad"/> is empty (first layer).</summary>
    public void Backward(
        ReadOnlySpan<float> input, ReadOnlySpan<float> outputGrad, Span<float> inputGrad, ReadOnlySpan<float> weight,
        Span<float> weightGrad, Span<float> biasGrad, Span<float> workspace)
    {
        var n = input.Length / InputSize;
        var width = n * OutputPlane;
        CheckWorkspace(workspace, n);
        for (var o = 0; o < OutChannels; o++)
        {
            biasGrad[o] += TensorPrimitives.Sum(outputGrad.Slice(o * width, width));
        }

        var images = inputGrad.IsEmpty ? inputGrad : inputGrad[..(n * InputSize)];
        images.Clear();
        for (var first = 0; first < n; first += ChunkImages)
        {
            // Recomputing the columns costs less than keeping them: written once to memory and read back twice.
            var count = Math.Min(ChunkImages, n - first);
            var chunkWidth = count * OutputPlane;
            var cols = workspace[..(PatchSize * chunkWidth)];
            var chunkGrad = outputGrad[(first * OutputPlane)..];
            Im2Col(input, cols, n, first, count);
            // dW [Cout x CKK] += dY[:, chunk] [Cout x chunk] . cols^T [chunk x CKK]
            Gemm.Multiply(false, true, OutChannels, PatchSize, chunkWidth, chunkGrad, width, cols, chunkWidth, 1f, weightGrad, PatchSize);
            if (!images.IsEmpty)
            {
                // dcols [CKK x chunk] = W^T [CKK x Cout] . dY[:, chunk], then fold back onto the images.
                Gemm.Multiply(true, false, PatchSize, chunkWidth, OutChannels, weight, PatchSize, chunkGrad, width, 0f, cols, chunkWidth);
                Col2Im(cols, images, n, first, count);
            }
        }
    }

    /// <summary>
    /// Columns of images first..first+count-1 of the n in <paramref name="input"/>: row (c, ky, kx), column
    /// (i, oy, ox) is input[c, first+i, oy+ky, ox+kx].
    /// </summary>
    internal void Im2Col(ReadOnlySpan<float> input, Span<float> columns, int n, int first, int count)
    {
        int oh = OutputHeight, ow = OutputWidth, w = InputWidth, plane = InputPlane, outPlane = OutputPlane;
        var row = 0;
        for (var c = 0; c < InChannels; c++)
        {
            for (var ky = 0; ky < Kernel; ky++)
            {
                for (var kx = 0; kx < Kernel; kx++, row++)
                {
                    var destination = columns.Slice(row * count * outPlane, count * outPlane);
                    for (var i = 0; i < count; i++)
                    {
                        // Whole rows must fit: the last one ends at (oh-1+ky)*w + kx + ow <= plane.
                        ref readonly var source = ref input[(((c * n) + first + i) * plane) + (ky * w) + kx];
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

    private void CheckWorkspace(Span<float> workspace, int n)
    {
        if (workspace.Length < WorkspaceSize(n))
        {
            throw new ArgumentException($"{n} images need a workspace of {WorkspaceSize(n)} floats, got {workspace.Length}.", nameof(workspace));
        }
    }
}
