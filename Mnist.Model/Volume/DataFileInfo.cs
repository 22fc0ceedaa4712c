namespace Mnist.Model.Volume;

/// <summary>One data file the model was trained or tested on, with its SHA-256.</summary>
public sealed record DataFileInfo(string File, string Sha256);
