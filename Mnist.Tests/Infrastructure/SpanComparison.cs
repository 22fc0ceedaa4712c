namespace Mnist.Tests;

/// <summary>Fast equality for large arrays (NUnit's collection comparer is slow on megabytes), with a useful index.</summary>
internal static class SpanComparison
{
    /// <summary>Index of the first differing element, the shorter length if one is a prefix of the other, or -1 if equal.</summary>
    public static int FirstMismatch<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual)
        where T : IEquatable<T>
    {
        var common = expected.CommonPrefixLength(actual);
        return common == expected.Length && common == actual.Length ? -1 : common;
    }
}
