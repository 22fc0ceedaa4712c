using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mnist.Model.Tensors;

/// <summary>
/// The engine's deterministic generator: SplitMix64 (Steele, Lea and Flood 2014). Small, fast, and the
/// same sequence on every machine and runtime, so a seed fixes initial weights and dropout masks.
/// </summary>
/// <remarks>A mutable struct: pass it by <c>ref</c>.</remarks>
internal struct SeededRandom
{
    private ulong _state;

    public SeededRandom(ulong seed) => _state = seed;

    /// <summary>A generator for one of many independent streams, e.g. (seed, step, image).</summary>
    public static SeededRandom ForStream(long seed, long stream, long substream)
    {
        var mixer = new SeededRandom((ulong)seed);
        var a = mixer.NextUInt64() ^ (ulong)stream;
        mixer = new SeededRandom(a);
        var b = mixer.NextUInt64() ^ (ulong)substream;
        return new SeededRandom(b);
    }

    private const ulong Gamma = 0x9E3779B97F4A7C15UL, Mix1 = 0xBF58476D1CE4E5B9UL, Mix2 = 0x94D049BB133111EBUL;

    public ulong NextUInt64()
    {
        var z = _state += Gamma;
        z = (z ^ (z >> 30)) * Mix1;
        z = (z ^ (z >> 27)) * Mix2;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// The next four values at once, equal to four calls of <see cref="NextUInt64"/>: SplitMix64's state is a
    /// counter, so each value depends only on its position. Needs AVX2 (<see cref="Avx2.IsSupported"/>).
    /// </summary>
    public Vector256<ulong> NextUInt64x4()
    {
        var z = Vector256.Create(_state) + (Vector256.Create(1UL, 2UL, 3UL, 4UL) * Gamma);
        _state += unchecked(4 * Gamma);
        z = MultiplyLow(z ^ (z >> 30), Mix1);
        z = MultiplyLow(z ^ (z >> 27), Mix2);
        return z ^ (z >> 31);
    }

    // 64-bit products modulo 2^64 from AVX2's 32x32->64 multiplies (AVX2 has no 64-bit multiply).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> MultiplyLow(Vector256<ulong> value, ulong factor)
    {
        var factorLow = Vector256.Create(factor & 0xFFFFFFFF).AsUInt32();
        var factorHigh = Vector256.Create(factor >> 32).AsUInt32();
        var low = Avx2.Multiply(value.AsUInt32(), factorLow);
        var cross = Avx2.Multiply((value >> 32).AsUInt32(), factorLow) + Avx2.Multiply(value.AsUInt32(), factorHigh);
        return low + (cross << 32);
    }

    /// <summary>Uniform in [0, 1) with 24 random bits, exactly representable as a float.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [-bound, bound), as PyTorch's <c>uniform_(-bound, bound)</c>.</summary>
    public float NextUniform(float bound) => -bound + (2 * bound * NextSingle());
}
