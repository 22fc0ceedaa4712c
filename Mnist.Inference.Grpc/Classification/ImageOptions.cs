using System.ComponentModel.DataAnnotations;
using Mnist.Model.Imaging;

namespace Mnist.Inference.Grpc.Classification;

/// <summary>What one uploaded image may cost, checked from its header before any decode (docs/operating.md, "Resource bounds").</summary>
public sealed class ImageOptions
{
    /// <summary>Largest image side accepted.</summary>
    [ConfigurationKeyName("MAX_IMAGE_SIDE")]
    [Range(ImageLimits.MinConfigurableSide, ImageLimits.MaxConfigurableSide)]
    public int MaxImageSide { get; set; } = ImageLimits.DefaultMaxSide;

    /// <summary>Most pixels (width x height) accepted: the memory one decode may use. The default reads a 12 MP photo.</summary>
    [ConfigurationKeyName("MAX_IMAGE_PIXELS")]
    [Range(ImageLimits.MinConfigurablePixels, ImageLimits.MaxConfigurablePixels)]
    public long MaxImagePixels { get; set; } = ImageLimits.DefaultMaxPixels;

    public ImageLimits Limits => new(MaxImageSide, MaxImageSide, MaxImagePixels);
}
