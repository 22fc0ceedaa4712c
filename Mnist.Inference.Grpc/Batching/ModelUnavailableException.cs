namespace Mnist.Inference.Grpc.Batching;

/// <summary>No model was loaded when a forward ran; <see cref="Reason"/> says why, as the model store does.</summary>
public sealed class ModelUnavailableException(string? reason) : Exception($"no model is loaded ({reason ?? "not ready"})")
{
    public string? Reason { get; } = reason;
}
