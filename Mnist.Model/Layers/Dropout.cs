using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mnist.Model.Tensors;

namespace Mnist.Model.Layers;

// (any shape) -> (same shape). Training only; inference skips the layer.

/// <summary>
/// Inverted dropout as PyTorch: each element is kept with probability 1-p and scaled by 1/(1-p), so
/// inference needs no rescaling. The mask (0 or 1/(1-p) per element) is all Backward needs.
/// </summary>
internal sealed class Dropout
{
    public Dropout(float probability)
    {
        if (!(probability >= 0f && probability < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Dropout probability must be in [0, 1).");
        }

        Probability = probability;
        Scale = 1f / (1f - probability);
    }

    public float Probability { get; }

    /// <summary>The factor applied to kept elements, 1/(1-p).</summary>
    public float Scale { get; }

    /// <summary>Draws a fresh mask: each element 1/(1-p) with probability 1-p, else 0.</summary>
    public void FillMask(Span<float> mask, ref SeededRandom random)
    {
        // Two 24-bit uniforms per 64-bit draw; a local copy of the generator keeps its state in a register.
        const float unit = 1f / (1 << 24);
        var keep = 1f - Probability;
        var scale = Scale;
        var generator = random;
        var i = 0;
        if (Avx2.IsSupported)
        {
            // The same draws and the same test as the scalar loop below, 8 elements at a time: x * 2^-24 < keep
            // exactly when the 24-bit integer x < ceil(keep * 2^24). Lanes hold (high, low) halves of each draw.
            var threshold = Vector256.Create((int)Math.Ceiling(keep * (double)(1 << 24)));
            var kept = Vector256.Create(scale);
            for (; i + Vector256<float>.Count <= mask.Length; i += Vector256<float>.Count)
            {
                var bits = generator.NextUInt64x4();
                var halves = (bits >> 40) | ((bits & Vector256.Create(0xFFFFFFUL)) << 32);
                var keepMask = Vector256.LessThan(halves.AsInt32(), threshold).AsSingle();
                (kept & keepMask).StoreUnsafe(ref MemoryMarshal.GetReference(mask), (nuint)i);
            }
        }

        for (; i + 1 < mask.Length; i += 2)
        {
            var bits = generator.NextUInt64();
            mask[i] = ((bits >> 40) * unit) < keep ? scale : 0f;
            mask[i + 1] = ((bits & 0xFFFFFF) * unit) < keep ? scale : 0f;
        }

        if (i < mask.Length)
        {
            mask[i] = generator.NextSingle() < keep ? scale : 0f;
        }

        random = generator;
    }

    public static void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> mask, Span<float> output) =>
        TensorPrimitives.Multiply(input, mask, output);

    /// <summary>In place: grad *= mask.</summary>
    public static void Backward(ReadOnlySpan<float> mask, Span<float> grad) =>
        TensorPrimitives.Multiply(grad, mask, grad);
}
