namespace Mnist.Model.Imaging;

/// <summary>
/// The picture decoded but shows nothing that could be a digit (it is blank or nearly uniform).
/// A gRPC server maps it to INVALID_ARGUMENT.
/// </summary>
public sealed class NoDigitException : ImageRejectedException
{
    /// <summary>Creates the exception; <paramref name="reason"/> follows "image contains no digit: ".</summary>
    public NoDigitException(string reason)
        : base("image contains no digit: " + reason)
    {
    }
}
