namespace Mnist.Training.Loop;

/// <summary>The loss became NaN or infinite, so the weights are useless and must not be published.</summary>
internal sealed class TrainingDivergedException(string message) : Exception(message);
