namespace Mnist.Model.Weights;

/// <summary>Shape arithmetic shared by the reader, the writer and the validation.</summary>
internal static class StateDictShape
{
    /// <summary>numel * elementSize, or -1 when a dimension is negative or the product overflows a long.</summary>
    public static long ByteCount(IReadOnlyList<long> shape, int elementSize)
    {
        long total = elementSize;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                return -1;
            }

            if (dim != 0 && total > long.MaxValue / dim)
            {
                return -1;
            }

            total *= dim;
        }

        return total;
    }

    public static string Format(IReadOnlyList<long> shape) => "[" + string.Join(",", shape) + "]";

    public static string Format(IReadOnlyList<int> shape) => "[" + string.Join(",", shape) + "]";

    public static bool SameAs(IReadOnlyList<long> shape, IReadOnlyList<int> expected)
    {
        if (shape.Count != expected.Count)
        {
            return false;
        }

        for (var i = 0; i < shape.Count; i++)
        {
            if (shape[i] != expected[i])
            {
                return false;
            }
        }

        return true;
    }
}
