namespace Mnist.Model.Volume;

/// <summary>model.json: what the weights are, how they were trained and how well they do.</summary>
public sealed record ModelInfo
{
    public required string ModelVersion { get; init; }
    public string WeightsFile { get; init; } = ModelVolume.WeightsFileName;
    public string WeightsFormat { get; init; } = "torchsharp-state-dict";
    public required double TestAccuracy { get; init; }
    public required double TestLoss { get; init; }
    public required int TestImages { get; init; }
    public required IReadOnlyList<double> TestClassAccuracy { get; init; }
    /// <summary>confusion_matrix[label][predicted] over the test set.</summary>
    public required IReadOnlyList<int[]> ConfusionMatrix { get; init; }
    public required int TrainingImages { get; init; }
    public required int Epochs { get; init; }
    public required int Seed { get; init; }
    public required int BatchSize { get; init; }
    public required float LearningRate { get; init; }
    public required float Gamma { get; init; }
    public required int Threads { get; init; }
    public required double TrainingSeconds { get; init; }
    public required double TotalSeconds { get; init; }
    public required IReadOnlyList<DataFileInfo> DataFiles { get; init; }
    public required string TorchSharpVersion { get; init; }
    public required string LibTorchVersion { get; init; }
    public required DateTimeOffset CreatedUtc { get; init; }
}
