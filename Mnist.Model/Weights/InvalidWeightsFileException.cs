namespace Mnist.Model.Weights;

/// <summary>
/// The file is not a readable TorchSharp state dict: empty, truncated, corrupt, trailing bytes, or another format
/// altogether (a PyTorch zip or pickle). <see cref="Offset"/> says where reading stopped.
/// </summary>
public sealed class InvalidWeightsFileException : WeightsFileException
{
    /// <summary>Creates the exception; the message already names the problem and where it is.</summary>
    public InvalidWeightsFileException(string message, long offset, Exception? innerException = null)
        : base(message, innerException)
    {
        Offset = offset;
    }

    /// <summary>Byte offset in the file where the problem was found.</summary>
    public long Offset { get; }
}
