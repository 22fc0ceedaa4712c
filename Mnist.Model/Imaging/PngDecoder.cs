using System.Buffers;

namespace Mnist.Model.Imaging;

/// <summary>PNG through libpng's simplified API, as G, GA, RGB or RGBA bytes, flattened to grey here.</summary>
internal static unsafe class PngDecoder
{
    public static GrayImage Decode(ReadOnlySpan<byte> png, ImageLimits limits)
    {
        var (claimedWidth, claimedHeight) = PngHeader.ReadDimensions(png);
        limits.EnsureWithin(claimedWidth, claimedHeight);

        // libpng reads from this memory until ImageFree, so it stays pinned for the whole decode.
        fixed (byte* data = png)
        {
            var image = new PngImage { Version = PngImage.Version1 };
            try
            {
                if (LibPng.ImageBeginReadFromMemory(ref image, data, (nuint)png.Length) == 0)
                {
                    throw Corrupt(image);
                }

                limits.EnsureWithin(image.Width, image.Height);
                return ReadPixels(ref image);
            }
            finally
            {
                LibPng.ImageFree(ref image);
            }
        }
    }

    private static GrayImage ReadPixels(ref PngImage image)
    {
        // Colour is read as RGB and converted here: libpng's own grey conversion uses sRGB/BT.709 weights in
        // linear light, while MNIST-style luma is BT.601 on the encoded values (what JPEG's Y channel holds too).
        var layout = new PixelLayout(
            Color: (image.Format & LibPng.FormatFlagColor) != 0,
            Alpha: (image.Format & LibPng.FormatFlagAlpha) != 0);
        image.Format = (layout.Color ? LibPng.FormatFlagColor : 0) | (layout.Alpha ? LibPng.FormatFlagAlpha : 0);

        int width = (int)image.Width, height = (int)image.Height;
        var stride = width * layout.Channels;
        var buffer = ArrayPool<byte>.Shared.Rent(checked(stride * height));
        try
        {
            fixed (byte* pixels = buffer)
            {
                if (LibPng.ImageFinishRead(ref image, null, pixels, stride, null) == 0)
                {
                    throw Corrupt(image);
                }
            }

            GrayFlattener.FlattenInPlace(buffer, width, height, layout);
            return new GrayImage(width, height, buffer);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static ImageDecodeException Corrupt(in PngImage image)
    {
        var detail = image.Failed ? image.MessageText : "libpng reported no detail";
        return new ImageDecodeException($"PNG is corrupt or truncated: {detail}");
    }
}
