namespace Mnist.Model.Volume;

/// <summary>The model directory cannot be created or written.</summary>
public sealed class ModelDirectoryException(string message, Exception innerException) : Exception(message, innerException);
