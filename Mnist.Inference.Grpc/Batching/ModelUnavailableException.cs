namespace Mnist.Inference.Grpc.Batching;

/// <summary>A batch was ready but no model is loaded (the service checks first, so only a race can get here).</summary>
public sealed class ModelUnavailableException(string message) : Exception(message);
