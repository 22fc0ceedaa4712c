namespace Mnist.Training.Publishing;

/// <summary>The model directory cannot be created or written.</summary>
internal sealed class ModelDirectoryException(string message, Exception innerException) : Exception(message, innerException);
