using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mnist.Model.Layers;

// (C, N, H, W) channel-major -> (N, C, H/2, W/2) image-major; window 2x2, stride 2 (odd edges dropped, as
// PyTorch's floor mode). The layout change hands Conv2d's output to Linear without a separate transpose.

/// <summary>
/// 2x2 max-pooling. Forward records, per output, which of its window's four inputs won (0 top-left,
/// 1 top-right, 2 bottom-left, 3 bottom-right) as one byte; Backward routes the gradient there.
/// </summary>
/// <remarks>
/// Ties go to the first maximum in scan order and NaN propagates, as PyTorch: each row's pair keeps its
/// left element unless the right one is greater (or NaN), and the bottom pair wins only if greater (or NaN).
/// Four outputs at a time with SSE: the even/odd columns of a row are split with one shuffle.
/// </remarks>
internal sealed class MaxPool2d(int channels, int inputHeight, int inputWidth)
{
    public int Channels { get; } = channels;
    public int InputHeight { get; } = inputHeight;
    public int InputWidth { get; } = inputWidth;
    public int OutputHeight => InputHeight / 2;
    public int OutputWidth => InputWidth / 2;
    public int InputSize => Channels * InputHeight * InputWidth;
    public int OutputSize => Channels * OutputHeight * OutputWidth;

    private int InputPlane => InputHeight * InputWidth;
    private int OutputPlane => OutputHeight * OutputWidth;

    /// <param name="winners">Per output element (same order as <paramref name="output"/>), the window position that won.</param>
    public void Forward(ReadOnlySpan<float> input, Span<float> output, Span<byte> winners)
    {
        var n = input.Length / InputSize;
        var outputs = n * OutputSize;
        if (input.Length != n * InputSize || output.Length < outputs || winners.Length < outputs)
        {
            throw new ArgumentException($"{n} images need {outputs} outputs and winners.", nameof(output));
        }

        for (var c = 0; c < Channels; c++)
        {
            for (var i = 0; i < n; i++)
            {
                var plane = input.Slice(((c * n) + i) * InputPlane, InputPlane);
                var start = (i * OutputSize) + (c * OutputPlane);
                ForwardPlane(plane, output.Slice(start, OutputPlane), winners.Slice(start, OutputPlane));
            }
        }
    }

    /// <summary>Overwrites <paramref name="inputGrad"/>: each output's gradient goes to its winning input, zero elsewhere.</summary>
    public void Backward(ReadOnlySpan<float> outputGrad, ReadOnlySpan<byte> winners, Span<float> inputGrad)
    {
        var n = outputGrad.Length / OutputSize;
        if (inputGrad.Length < n * InputSize || winners.Length < outputGrad.Length)
        {
            throw new ArgumentException($"{n} images need {n * InputSize} input gradients and {outputGrad.Length} winners.", nameof(inputGrad));
        }

        if (InputHeight % 2 != 0 || InputWidth % 2 != 0)
        {
            inputGrad[..(n * InputSize)].Clear(); // the dropped edge gets no gradient; the windows overwrite the rest
        }

        for (var c = 0; c < Channels; c++)
        {
            for (var i = 0; i < n; i++)
            {
                var start = (i * OutputSize) + (c * OutputPlane);
                BackwardPlane(outputGrad.Slice(start, OutputPlane), winners.Slice(start, OutputPlane), inputGrad.Slice(((c * n) + i) * InputPlane, InputPlane));
            }
        }
    }

    private void ForwardPlane(ReadOnlySpan<float> plane, Span<float> output, Span<byte> winners)
    {
        int ow = OutputWidth, w = InputWidth;
        ref var input0 = ref MemoryMarshal.GetReference(plane);
        for (var y = 0; y < OutputHeight; y++)
        {
            ref var top = ref Unsafe.Add(ref input0, 2 * y * w);
            ref var bottom = ref Unsafe.Add(ref top, w);
            var x = 0;
            if (Sse.IsSupported)
            {
                for (; x + 4 <= ow; x += 4)
                {
                    var (topMax, topCode) = PairMax(ref Unsafe.Add(ref top, 2 * x), Vector128<int>.Zero);
                    var (bottomMax, bottomCode) = PairMax(ref Unsafe.Add(ref bottom, 2 * x), Vector128.Create(2));
                    var down = Wins(bottomMax, topMax);
                    var max = Vector128.ConditionalSelect(down, bottomMax, topMax);
                    var code = Vector128.ConditionalSelect(down.AsInt32(), bottomCode, topCode);
                    max.CopyTo(output.Slice((y * ow) + x, 4));
                    var bytes = Vector128.Narrow(Vector128.Narrow(code, code), Vector128.Narrow(code, code)).AsUInt32().ToScalar();
                    MemoryMarshal.Write(winners.Slice((y * ow) + x, 4), in bytes);
                }
            }

            for (; x < ow; x++)
            {
                var best = 0;
                var max = Unsafe.Add(ref top, 2 * x);
                Keep(Unsafe.Add(ref top, (2 * x) + 1), 1, ref max, ref best);
                Keep(Unsafe.Add(ref bottom, 2 * x), 2, ref max, ref best);
                Keep(Unsafe.Add(ref bottom, (2 * x) + 1), 3, ref max, ref best);
                output[(y * ow) + x] = max;
                winners[(y * ow) + x] = (byte)best;
            }
        }
    }

    private void BackwardPlane(ReadOnlySpan<float> outputGrad, ReadOnlySpan<byte> winners, Span<float> plane)
    {
        int ow = OutputWidth, w = InputWidth;
        ref var input0 = ref MemoryMarshal.GetReference(plane);
        for (var y = 0; y < OutputHeight; y++)
        {
            ref var top = ref Unsafe.Add(ref input0, 2 * y * w);
            ref var bottom = ref Unsafe.Add(ref top, w);
            var x = 0;
            if (Sse.IsSupported)
            {
                for (; x + 4 <= ow; x += 4)
                {
                    var o = (y * ow) + x;
                    var g = Vector128.Create(outputGrad.Slice(o, 4));
                    var code = Vector128.Create(winners[o], winners[o + 1], winners[o + 2], winners[o + 3]);
                    var topLeft = g & Vector128.Equals(code, Vector128<int>.Zero).AsSingle();
                    var topRight = g & Vector128.Equals(code, Vector128.Create(1)).AsSingle();
                    var bottomLeft = g & Vector128.Equals(code, Vector128.Create(2)).AsSingle();
                    var bottomRight = g & Vector128.Equals(code, Vector128.Create(3)).AsSingle();
                    Sse.UnpackLow(topLeft, topRight).StoreUnsafe(ref top, (nuint)(2 * x));
                    Sse.UnpackHigh(topLeft, topRight).StoreUnsafe(ref top, (nuint)((2 * x) + 4));
                    Sse.UnpackLow(bottomLeft, bottomRight).StoreUnsafe(ref bottom, (nuint)(2 * x));
                    Sse.UnpackHigh(bottomLeft, bottomRight).StoreUnsafe(ref bottom, (nuint)((2 * x) + 4));
                }
            }

            for (; x < ow; x++)
            {
                var g = outputGrad[(y * ow) + x];
                var code = winners[(y * ow) + x];
                Unsafe.Add(ref top, 2 * x) = code == 0 ? g : 0f;
                Unsafe.Add(ref top, (2 * x) + 1) = code == 1 ? g : 0f;
                Unsafe.Add(ref bottom, 2 * x) = code == 2 ? g : 0f;
                Unsafe.Add(ref bottom, (2 * x) + 1) = code == 3 ? g : 0f;
            }
        }
    }

    /// <summary>Max of the (left, right) pairs in 8 consecutive floats, and leftCode or leftCode+1 for the winner.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float> Max, Vector128<int> Code) PairMax(ref float row, Vector128<int> leftCode)
    {
        var a = Vector128.LoadUnsafe(ref row);
        var b = Vector128.LoadUnsafe(ref row, 4);
        var left = Sse.Shuffle(a, b, 0b10_00_10_00);
        var right = Sse.Shuffle(a, b, 0b11_01_11_01);
        var wins = Wins(right, left);
        return (Vector128.ConditionalSelect(wins, right, left), leftCode - wins.AsInt32());
    }

    // value > max, or value is NaN (which then propagates).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Wins(Vector128<float> value, Vector128<float> max) =>
        Vector128.GreaterThan(value, max) | ~Vector128.Equals(value, value);

    // Branch-free (conditional moves): which input wins is data-dependent and would defeat the branch predictor.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Keep(float value, int candidate, ref float max, ref int best)
    {
        var wins = (value > max) | float.IsNaN(value);
        best = wins ? candidate : best;
        max = wins ? value : max;
    }
}
