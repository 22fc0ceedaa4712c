namespace Mnist.Model.Volume;

/// <summary>
/// The model volume's layout, shared by the trainer that writes it (<see cref="ModelPublisher"/>) and the server that
/// reads it (<see cref="ModelVolumeReader"/>):
/// <code>
/// model.dat                   the weights (a TorchSharp state dict)
/// model.json                  what they are (<see cref="ModelInfo"/>)
/// cards/&lt;model_version&gt;/     the run's card: a copy of model.json, card.json (<see cref="ModelCard"/>), the plots
/// </code>
/// </summary>
public static class ModelVolume
{
    public const string WeightsFileName = "model.dat";
    public const string InfoFileName = "model.json";
    public const string CardFileName = "card.json";
    public const string CardsDirectoryName = "cards";

    public static string WeightsPath(string modelDirectory) => Path.Combine(modelDirectory, WeightsFileName);

    public static string CardPath(string modelDirectory, string version) => Path.Combine(modelDirectory, CardsDirectoryName, version);
}
