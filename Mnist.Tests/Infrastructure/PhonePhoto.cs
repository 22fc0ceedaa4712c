namespace Mnist.Tests;

/// <summary>Large, realistic uploads: what a phone sends when its user photographs a digit.</summary>
internal static class PhonePhoto
{
    // A dark stroke on a light, shaded page: a digit 1 as a phone would photograph it.
    public static byte[] OfAOne(int width, int height)
    {
        var rgb = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var onStroke = Math.Abs(x - (width / 2) - ((height / 2) - y) / 4) < width / 40 && Math.Abs(y - (height / 2)) < height / 3;
                var shade = onStroke ? 40 : 200 + (x * 40 / width);
                rgb[((y * width) + x) * 3] = (byte)shade;
                rgb[(((y * width) + x) * 3) + 1] = (byte)shade;
                rgb[(((y * width) + x) * 3) + 2] = (byte)(shade * 9 / 10);
            }
        }

        return TestJpegEncoder.EncodeRgb(rgb, width, height, quality: 85, subsample: false);
    }
}
