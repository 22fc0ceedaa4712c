namespace Mnist.Training.Loop;

/// <summary>What the training loop knows at the end of an epoch, before its learning-rate step.</summary>
internal readonly record struct EpochEnd(int Epoch, double TrainLoss, double LearningRate, TimeSpan Elapsed);
