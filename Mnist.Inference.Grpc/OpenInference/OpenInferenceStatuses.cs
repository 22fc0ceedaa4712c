using Grpc.Core;

namespace Mnist.Inference.Grpc.OpenInference;

/// <summary>The Open Inference Protocol's refusals, each message written once.</summary>
internal static class OpenInferenceStatuses
{
    public static RpcException InvalidArgument(string detail) => new(new Status(StatusCode.InvalidArgument, detail));

    public static RpcException UnknownModel(string name) =>
        new(new Status(StatusCode.NotFound, $"unknown model '{name}'; this server serves '{MnistModelDescription.Name}'"));

    public static RpcException UnknownVersion(string version, string served) =>
        new(new Status(StatusCode.NotFound, $"model '{MnistModelDescription.Name}' has no version '{version}'; the served version is '{served}' (or leave the version empty)"));

    public static RpcException NoModel(string? reason) =>
        new(new Status(StatusCode.Unavailable, $"no model is loaded ({reason ?? "not ready"}); retry once the trainer has written model.dat"));
}
