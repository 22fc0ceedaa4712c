using System.ComponentModel.DataAnnotations;
using Mnist.Inference.Grpc.Classification;
using Mnist.Model.Imaging;

namespace Mnist.Tests.Unit.Classification;

/// <summary>
/// MAX_IMAGE_SIDE and MAX_IMAGE_PIXELS: what start-up validation accepts is exactly what <see cref="ImageLimits"/>
/// can be built from, so no value passes validation and then fails when the first image arrives.
/// </summary>
[Category("Unit")]
public class ImageOptionsTests
{
    [TestCase(28, 784)]
    [TestCase(ImageLimits.DefaultMaxSide, ImageLimits.DefaultMaxPixels)]
    [TestCase(ImageLimits.MaxConfigurableSide, ImageLimits.MaxConfigurablePixels)]
    public void Limits_ValuesValidationAccepts_AreBuilt(int side, long pixels)
    {
        var options = new ImageOptions { MaxImageSide = side, MaxImagePixels = pixels };

        Assert.That(Validate(options), Is.Empty);
        var limits = options.Limits;
        Assert.That((limits.MaxWidth, limits.MaxHeight, limits.MaxPixels), Is.EqualTo((side, side, pixels)));
    }

    [TestCase(27, ImageLimits.DefaultMaxPixels, "MaxImageSide")]
    [TestCase(ImageLimits.MaxConfigurableSide + 1, ImageLimits.DefaultMaxPixels, "MaxImageSide")]
    [TestCase(65535, ImageLimits.DefaultMaxPixels, "MaxImageSide")]
    [TestCase(ImageLimits.DefaultMaxSide, 783, "MaxImagePixels")]
    [TestCase(ImageLimits.DefaultMaxSide, ImageLimits.MaxConfigurablePixels + 1, "MaxImagePixels")]
    public void Validate_ValueImageLimitsRefuses_FailsAtStart(int side, long pixels, string member)
    {
        var options = new ImageOptions { MaxImageSide = side, MaxImagePixels = pixels };

        Assert.That(Validate(options).SelectMany(r => r.MemberNames), Is.EqualTo(new[] { member }));
        Assert.That(() => options.Limits, Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void Defaults_Validate_AndAreImageLimitsDefaults()
    {
        var options = new ImageOptions();

        Assert.That(Validate(options), Is.Empty);
        Assert.That((options.Limits.MaxWidth, options.Limits.MaxPixels), Is.EqualTo((ImageLimits.Default.MaxWidth, ImageLimits.Default.MaxPixels)));
    }

    // What ValidateDataAnnotations runs at start-up.
    private static List<ValidationResult> Validate(ImageOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
