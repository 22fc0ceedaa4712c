namespace Mnist.Tests;

/// <summary>Renders an MNIST digit the way a user would hand it in: enlarged, dark ink on light paper.</summary>
internal static class DigitCanvas
{
    /// <summary>
    /// Draws <paramref name="mnist"/> enlarged <paramref name="scale"/> times (bilinear) with its top-left corner
    /// at (<paramref name="left"/>, <paramref name="top"/>) on a white canvas, black ink.
    /// </summary>
    public static byte[] BlackOnWhite(byte[] mnist, int scale, int width, int height, int left, int top)
    {
        var canvas = new byte[width * height];
        Array.Fill(canvas, (byte)255);
        for (var y = 0; y < 28 * scale; y++)
        {
            for (var x = 0; x < 28 * scale; x++)
            {
                var ink = Bilinear(mnist, ((x + 0.5) / scale) - 0.5, ((y + 0.5) / scale) - 0.5);
                canvas[((top + y) * width) + left + x] = (byte)Math.Round(255 - ink);
            }
        }

        return canvas;
    }

    private static double Bilinear(byte[] mnist, double x, double y)
    {
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        double fx = x - x0, fy = y - y0;
        return ((1 - fy) * (((1 - fx) * At(mnist, x0, y0)) + (fx * At(mnist, x0 + 1, y0))))
            + (fy * (((1 - fx) * At(mnist, x0, y0 + 1)) + (fx * At(mnist, x0 + 1, y0 + 1))));
    }

    private static byte At(byte[] mnist, int x, int y) =>
        x is < 0 or >= 28 || y is < 0 or >= 28 ? (byte)0 : mnist[(y * 28) + x];
}
