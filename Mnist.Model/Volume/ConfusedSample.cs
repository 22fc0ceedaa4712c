namespace Mnist.Model.Volume;

/// <summary>A misread test image: its id in the test set, the true digit, the digit read, and the confidence in that wrong digit.</summary>
public sealed record ConfusedSample(int Id, int Label, int Predicted, double Confidence);
