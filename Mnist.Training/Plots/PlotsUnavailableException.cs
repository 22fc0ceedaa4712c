namespace Mnist.Training.Plots;

/// <summary>SkiaSharp's native library cannot be loaded, so the card's plots cannot be drawn.</summary>
internal sealed class PlotsUnavailableException(string message, Exception innerException) : Exception(message, innerException);
