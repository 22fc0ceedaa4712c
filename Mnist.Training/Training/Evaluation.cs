namespace Mnist.Training.Training;

/// <summary>Test-set results: mean NLL loss and accuracy over <paramref name="Images"/> images.</summary>
internal sealed record Evaluation(double Loss, double Accuracy, int Correct, int Images);
