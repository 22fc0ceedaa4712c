namespace Mnist.Model.Data;

/// <summary>An MNIST data file is missing, unreadable, truncated or not the IDX file it should be.</summary>
public sealed class MnistDataException : IOException
{
    /// <summary>Creates the exception; the message names the file.</summary>
    public MnistDataException(string message, string filePath, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The file at fault.</summary>
    public string FilePath { get; }
}
