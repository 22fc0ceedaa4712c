namespace Mnist.Model.Imaging;

/// <summary>
/// The bytes are not a decodable PNG or JPEG: empty, another format, corrupt or truncated.
/// A gRPC server maps it to INVALID_ARGUMENT.
/// </summary>
public sealed class ImageDecodeException : ImageRejectedException
{
    /// <summary>Creates the exception with a client-facing message.</summary>
    public ImageDecodeException(string message)
        : base(message)
    {
    }
}
