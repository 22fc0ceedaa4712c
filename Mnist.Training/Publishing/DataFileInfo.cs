namespace Mnist.Training.Publishing;

/// <summary>One data file the model was trained or tested on, with its SHA-256.</summary>
internal sealed record DataFileInfo(string File, string Sha256);
