namespace Mnist.Inference.Grpc.ModelCards;

/// <summary>The trainer's card.json (snake_case on disk).</summary>
internal sealed record CardJsonFile
{
    public string ModelVersion { get; init; } = "";
    public EpochRow[] Epochs { get; init; } = [];
    public Confused[] MostConfused { get; init; } = [];
    public string[] Plots { get; init; } = [];

    internal sealed record EpochRow(int Epoch, double TrainLoss, double TestLoss, double TestAccuracy, double LearningRate, double Seconds);

    internal sealed record Confused(int Id, int Label, int Predicted, double Confidence);
}
