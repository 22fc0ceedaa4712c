namespace Mnist.Model.Imaging;

/// <summary>
/// The bytes are not a decodable image: empty, a format ImageSharp does not read, corrupt or truncated.
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
