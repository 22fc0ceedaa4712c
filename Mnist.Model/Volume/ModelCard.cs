namespace Mnist.Model.Volume;

/// <summary>
/// card.json: what model.json does not say about a run: the training curve's figures, the most confidently misread
/// test images, and the plots beside it. It carries the model_version of the weights it describes.
/// </summary>
public sealed record ModelCard
{
    public required string ModelVersion { get; init; }
    public required IReadOnlyList<EpochMetrics> Epochs { get; init; }
    /// <summary>Misread test images, most confident first (ids index the MNIST test set, 0..9999).</summary>
    public required IReadOnlyList<ConfusedSample> MostConfused { get; init; }
    /// <summary>File names of the plots in the same directory.</summary>
    public required IReadOnlyList<string> Plots { get; init; }
}
