using System.Security.Cryptography;

namespace Mnist.Model.Weights;

/// <summary>A model's version: the lowercase hex SHA-256 of its model.dat bytes.</summary>
public static class ModelVersion
{
    /// <summary>Version of the weights file content <paramref name="weightsFile"/>.</summary>
    public static string Compute(ReadOnlySpan<byte> weightsFile) => Convert.ToHexStringLower(SHA256.HashData(weightsFile));

    /// <summary>Version of the weights file at <paramref name="path"/>.</summary>
    public static string ComputeFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
