namespace Mnist.Model.Imaging;

/// <summary>The median of one channel over a picture's outermost ring of pixels: what its background is.</summary>
internal static class BorderStatistics
{
    public static byte Median(ReadOnlySpan<byte> pixels, int width, int height, int channels = 1, int channel = 0)
    {
        Span<int> histogram = stackalloc int[256];
        var stride = width * channels;
        for (var x = 0; x < width; x++)
        {
            histogram[pixels[(x * channels) + channel]]++;
            if (height > 1)
            {
                histogram[pixels[((height - 1) * stride) + (x * channels) + channel]]++;
            }
        }

        for (var y = 1; y < height - 1; y++)
        {
            histogram[pixels[(y * stride) + channel]]++;
            if (width > 1)
            {
                histogram[pixels[(y * stride) + ((width - 1) * channels) + channel]]++;
            }
        }

        var count = 0;
        foreach (var bin in histogram)
        {
            count += bin;
        }

        var half = (count + 1) / 2;
        for (int level = 0, seen = 0; level < 256; level++)
        {
            seen += histogram[level];
            if (seen >= half)
            {
                return (byte)level;
            }
        }

        return 255;
    }
}
