using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Metadata;

namespace Mnist.Model.Imaging;

/// <summary>ImageSharp's decoders as a digit needs them: only the first frame of animations and multi-page files.</summary>
internal static class ImageSharpConfiguration
{
    public static Configuration Instance { get; } = Create();

    private static Configuration Create()
    {
        var configuration = Configuration.Default.Clone();
        // One frame is a digit; decoding all of a 1000-frame GIF would only cost time and memory.
        configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First });
        configuration.ImageFormatsManager.SetDecoder(TiffFormat.Instance, new TiffDecoder { DecodingMode = FrameDecodingMode.First });
        return configuration;
    }
}
