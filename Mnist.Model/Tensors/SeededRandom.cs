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

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 24 random bits, exactly representable as a float.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform in [-bound, bound), as PyTorch's <c>uniform_(-bound, bound)</c>.</summary>
    public float NextUniform(float bound) => -bound + (2 * bound * NextSingle());
}
