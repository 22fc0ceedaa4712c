namespace Mnist.Model.Data;

/// <summary>A data file that was read: its name and the lowercase hex SHA-256 of its bytes on disk.</summary>
public sealed record MnistDataFile(string FileName, string Sha256);
