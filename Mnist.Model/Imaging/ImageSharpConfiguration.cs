using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Memory;

namespace Mnist.Model.Imaging;

/// <summary>
/// ImageSharp as untrusted input needs it: only the PNG and JPEG decoders (the contract's formats; TIFF loops
/// forever on an 88-byte BigTIFF, GIF has a public hang report, and no other decoder has passed our fuzz tests),
/// one thread per decode (decodes at once are bounded by the server, about one per core), one contiguous pixel
/// buffer (read in place, never copied) and no pool, so a decode's memory goes back as soon as it is freed.
/// </summary>
internal static class ImageSharpConfiguration
{
    /// <summary>The formats decoded, as an error message names them.</summary>
    public const string AcceptedFormats = "PNG or JPEG";

    public static Configuration Instance { get; } = new(new PngConfigurationModule(), new JpegConfigurationModule())
    {
        MaxDegreeOfParallelism = 1,
        PreferContiguousImageBuffers = true,
        MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { MaximumPoolSizeMegabytes = 0 }),
    };
}
