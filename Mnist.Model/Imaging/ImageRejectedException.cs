namespace Mnist.Model.Imaging;

/// <summary>
/// A picture that cannot be turned into a digit. The message says what was wrong and what is accepted, and is
/// safe to show to the client (it never contains paths or stack traces).
/// </summary>
public abstract class ImageRejectedException : Exception
{
    /// <summary>Creates the exception with a client-facing message.</summary>
    protected ImageRejectedException(string message)
        : base(message)
    {
    }
}
