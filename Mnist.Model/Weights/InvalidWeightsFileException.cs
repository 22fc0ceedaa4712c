namespace Mnist.Model.Weights;

/// <summary>
/// The file is not a readable TorchSharp state dict: empty, truncated, corrupt, trailing bytes, or another format
/// altogether (a PyTorch zip or pickle). The message says where reading stopped.
/// </summary>
public sealed class InvalidWeightsFileException : WeightsFileException
{
    /// <summary>Creates the exception; the message already names the problem and where it is.</summary>
    public InvalidWeightsFileException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
