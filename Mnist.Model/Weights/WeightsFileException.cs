namespace Mnist.Model.Weights;

/// <summary>
/// Base of the two ways a weights file can be refused: <see cref="InvalidWeightsFileException"/> (not a
/// readable state dict) and <see cref="WeightsMismatchException"/> (a valid state dict for another model).
/// </summary>
public abstract class WeightsFileException : IOException
{
    /// <summary>Creates the exception.</summary>
    protected WeightsFileException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
