namespace Mnist.Inference.Grpc.ModelCards;

/// <summary>The parts of the trainer's model.json that GetModel returns (snake_case on disk).</summary>
internal sealed record ModelJsonFile
{
    public string ModelVersion { get; init; } = "";
    public double TestAccuracy { get; init; }
    public double TestLoss { get; init; }
    public int TestImages { get; init; }
    public double[] TestClassAccuracy { get; init; } = [];
    public int[][] ConfusionMatrix { get; init; } = [];
    public int TrainingImages { get; init; }
    public int Epochs { get; init; }
    public int Seed { get; init; }
    public int BatchSize { get; init; }
    public float LearningRate { get; init; }
    public float Gamma { get; init; }
    public int Threads { get; init; }
    public double TrainingSeconds { get; init; }
    public string TorchSharpVersion { get; init; } = "";
    public string LibTorchVersion { get; init; } = "";
    public DateTimeOffset CreatedUtc { get; init; }
}
