using System.Buffers;

namespace Mnist.Model.Imaging;

/// <summary>
/// Box-filter resampling with fractional coverage: each destination cell is the average of the source pixels
/// under it, a partly covered pixel counting by the fraction covered. This is the anti-aliased downsampling
/// MNIST's digits went through; separable, first along rows, then along columns.
/// </summary>
internal static class AreaResampler
{
    public static void Resample(
        ReadOnlySpan<byte> gray, int stride, InkBox box, ReadOnlySpan<float> levels,
        Span<float> destination, int destinationWidth, int destinationHeight)
    {
        var rows = ArrayPool<float>.Shared.Rent(box.Height * destinationWidth);
        try
        {
            var across = rows.AsSpan(0, box.Height * destinationWidth);
            for (var y = 0; y < box.Height; y++)
            {
                var source = gray.Slice(((box.Top + y) * stride) + box.Left, box.Width);
                ResampleRow(source, levels, across.Slice(y * destinationWidth, destinationWidth));
            }

            ResampleColumns(across, box.Height, destination, destinationWidth, destinationHeight);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rows);
        }
    }

    private static void ResampleRow(ReadOnlySpan<byte> source, ReadOnlySpan<float> levels, Span<float> output)
    {
        var ratio = (double)source.Length / output.Length;
        for (var o = 0; o < output.Length; o++)
        {
            double start = o * ratio, end = o == output.Length - 1 ? source.Length : (o + 1) * ratio;
            int first = (int)start, last = Math.Min((int)Math.Ceiling(end), source.Length) - 1;
            double sum;
            if (first == last)
            {
                sum = (end - start) * levels[source[first]];
            }
            else
            {
                // Only the two end pixels can be partly covered; the ones between count whole.
                var inner = 0f;
                foreach (var level in source[(first + 1)..last])
                {
                    inner += levels[level];
                }

                sum = ((first + 1 - start) * levels[source[first]]) + inner + ((end - last) * levels[source[last]]);
            }

            output[o] = (float)(sum / ratio);
        }
    }

    private static void ResampleColumns(ReadOnlySpan<float> rows, int rowCount, Span<float> output, int width, int height)
    {
        var ratio = (double)rowCount / height;
        for (var o = 0; o < height; o++)
        {
            double start = o * ratio, end = o == height - 1 ? rowCount : (o + 1) * ratio;
            var target = output.Slice(o * width, width);
            target.Clear();
            for (int j = (int)start, stop = Math.Min((int)Math.Ceiling(end), rowCount); j < stop; j++)
            {
                var weight = (float)((Math.Min(end, j + 1) - Math.Max(start, j)) / ratio);
                var row = rows.Slice(j * width, width);
                for (var x = 0; x < width; x++)
                {
                    target[x] += weight * row[x];
                }
            }
        }
    }
}
