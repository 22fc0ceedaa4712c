namespace Mnist.Model.Volume;

/// <summary>One epoch's figures for the training curve: mean training loss, then test loss and accuracy after the epoch.</summary>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double TestLoss, double TestAccuracy, double LearningRate, double Seconds);
