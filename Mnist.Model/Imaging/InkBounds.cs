namespace Mnist.Model.Imaging;

/// <summary>Finds the bounding box of the pixels outside the background's grey range.</summary>
internal static class InkBounds
{
    public static InkBox? Find(ReadOnlySpan<byte> gray, int width, int height, byte nonInkLow, byte nonInkHigh)
    {
        int left = width, right = -1, top = -1, bottom = -1;
        for (var y = 0; y < height; y++)
        {
            var row = gray.Slice(y * width, width);
            var first = row.IndexOfAnyExceptInRange(nonInkLow, nonInkHigh);
            if (first < 0)
            {
                continue;
            }

            var last = row.LastIndexOfAnyExceptInRange(nonInkLow, nonInkHigh);
            left = Math.Min(left, first);
            right = Math.Max(right, last);
            top = top < 0 ? y : top;
            bottom = y;
        }

        return top < 0 ? null : new InkBox(left, top, right - left + 1, bottom - top + 1);
    }
}
