namespace Mnist.Model.Imaging;

/// <summary>The encodings the decoders accept.</summary>
public enum ImageFormat
{
    /// <summary>Not a format this service reads.</summary>
    Unknown,

    /// <summary>PNG, any colour type, bit depth or interlacing.</summary>
    Png,

    /// <summary>JPEG (JFIF/Exif), baseline or progressive, greyscale or YCbCr/RGB.</summary>
    Jpeg,
}
