using Mnist.Inference.Grpc.ModelCards;
using Mnist.Model.Inference;
using Mnist.Model.Volume;
using Mnist.Model.Weights;

namespace Mnist.Inference.Grpc.ModelReload;

/// <summary>
/// Reads and validates one model.dat, then its card (cards/&lt;version&gt;/ beside it); nothing is published unless the
/// whole weights file is good. A missing or bad card does not refuse the model: it serves predictions without one.
/// </summary>
public sealed class ModelFileLoader
{
    /// <summary>
    /// Loads the file, or returns null when it holds <paramref name="currentVersion"/> already.
    /// Throws <see cref="InvalidDataException"/>, a <see cref="WeightsFileException"/> or an I/O exception that says why the file was refused.
    /// </summary>
    public LoadedModel? LoadIfChanged(string modelDirectory, string? currentVersion)
    {
        var bytes = ModelVolumeReader.ReadWeights(modelDirectory);
        var version = ModelVersion.Compute(bytes);
        if (version == currentVersion)
        {
            return null;
        }

        var predictor = new MnistPredictor(MnistWeights.Load(bytes));
        var (card, cardProblem) = ReadCard(modelDirectory, version);
        return new LoadedModel(predictor, version, card, cardProblem);
    }

    private static (ModelCards.ModelCard? Card, string? Problem) ReadCard(string directory, string version)
    {
        try
        {
            return ModelCardReader.Read(directory, version) is { } card
                ? (card, null)
                : (null, $"{ModelVolume.CardPath(directory, version)} does not exist (a trainer without model cards wrote this model)");
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return (null, $"its card was refused: {e.Message}");
        }
    }
}
