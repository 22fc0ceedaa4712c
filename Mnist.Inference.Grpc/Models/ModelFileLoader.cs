using Mnist.Model.Inference;
using Mnist.Model.Weights;

namespace Mnist.Inference.Grpc.Models;

/// <summary>Reads and validates one model.dat; nothing is published unless the whole file is good.</summary>
public sealed class ModelFileLoader(TimeProvider time)
{
    public const string WeightsFileName = "model.dat";

    // The real file is 4.8 MB; anything far larger is not our model and is not read into memory.
    private const long MaxFileBytes = 64L * 1024 * 1024;

    /// <summary>
    /// Loads the file, or returns null when it holds <paramref name="currentVersion"/> already.
    /// Throws <see cref="InvalidDataException"/>, a <see cref="WeightsFileException"/> or an I/O exception that says why the file was refused.
    /// </summary>
    public LoadedModel? LoadIfChanged(string path, string? currentVersion)
    {
        var bytes = ReadBounded(path);
        var version = ModelVersion.Compute(bytes);
        if (version == currentVersion)
        {
            return null;
        }

        return new LoadedModel(new MnistPredictor(MnistWeights.Load(bytes)), version, time.GetUtcNow());
    }

    private static byte[] ReadBounded(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length > MaxFileBytes)
        {
            throw new InvalidDataException($"{path} is {stream.Length} bytes; a weights file for this network is 4,799,653 bytes");
        }

        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
