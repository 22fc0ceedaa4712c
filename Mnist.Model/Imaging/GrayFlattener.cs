namespace Mnist.Model.Imaging;

/// <summary>
/// Turns interleaved grey+alpha bytes (ImageSharp's La16) into one grey byte per pixel, in place (pixel i moves
/// from 2i to i, never ahead of data still to be read), so a picture with transparency costs no second buffer.
/// </summary>
/// <remarks>
/// Transparency: drawing apps and HTML canvases export strokes over a transparent background, and the stroke
/// colour is arbitrary (black in a light theme, white in a dark one). Compositing onto white would erase white
/// strokes and compositing onto black would erase black ones, but alpha is the stroke's coverage in both cases,
/// which is exactly what an MNIST intensity is. So when the border is mostly transparent the picture is taken
/// to be such a canvas and its alpha becomes the grey level (light ink on black). Otherwise the transparency is
/// incidental (an opaque photo saved as RGBA, a soft edge) and the grey is composited onto white paper.
/// </remarks>
internal static class GrayFlattener
{
    private const int Channels = 2;
    private const int AlphaOffset = 1;
    private const byte TransparentBackground = 128;

    public static void FlattenGrayAlphaInPlace(Span<byte> pixels, int width, int height)
    {
        var count = width * height;
        if (BorderStatistics.Median(pixels, width, height, Channels, AlphaOffset) < TransparentBackground)
        {
            for (var i = 0; i < count; i++)
            {
                pixels[i] = pixels[(i * Channels) + AlphaOffset];
            }

            return;
        }

        for (var i = 0; i < count; i++)
        {
            var p = i * Channels;
            int grey = pixels[p];
            int alpha = pixels[p + AlphaOffset];
            if (alpha != 255)
            {
                grey = ((grey * alpha) + (255 * (255 - alpha)) + 127) / 255;
            }

            pixels[i] = (byte)grey;
        }
    }
}
