namespace Mnist.Model.Weights;

/// <summary>
/// The file is not a readable TorchSharp state dict: truncated, corrupt, trailing bytes, unknown dtype code,
/// or another format altogether (a PyTorch zip or pickle). <see cref="Offset"/> says where parsing stopped.
/// </summary>
public sealed class InvalidWeightsFileException : WeightsFileException
{
    /// <summary>Creates the exception; the message already names the entry and offset.</summary>
    public InvalidWeightsFileException(string message, long offset, string? entryName, Exception? innerException = null)
        : base(message, innerException)
    {
        Offset = offset;
        EntryName = entryName;
    }

    /// <summary>Byte offset in the file where the problem was found.</summary>
    public long Offset { get; }

    /// <summary>Name of the entry being read, or null if the problem precedes any name.</summary>
    public string? EntryName { get; }
}
