namespace Mnist.Model.Optimizers;

/// <summary>Reproduces how PyTorch turns Python-double hyperparameters into float arithmetic.</summary>
internal static class HyperParameter
{
    /// <summary>
    /// The decimal the caller wrote (0.9f -> 0.9, via decimal's 7-digit conversion) as a double, so that
    /// e.g. 1 - rho rounds as Python's 1 - 0.9 does, not as 1f - 0.9f (which is one float step off).
    /// </summary>
    public static double AsWritten(float value) => float.IsFinite(value) ? (double)(decimal)value : value;
}
