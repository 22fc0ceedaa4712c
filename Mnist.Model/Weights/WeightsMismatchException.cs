namespace Mnist.Model.Weights;

/// <summary>
/// The file is a well-formed state dict but not for this model: a different number of entries, a name the model
/// does not have, a name missing, or a wrong dtype or shape.
/// </summary>
public sealed class WeightsMismatchException : WeightsFileException
{
    /// <summary>Creates the exception; <paramref name="problem"/> names the entry and what did not fit.</summary>
    public WeightsMismatchException(string problem)
        : base($"The weights file is a state dict but does not fit the MNIST CNN (conv1, conv2, fc1, fc2 as float32): {problem}.")
    {
    }
}
