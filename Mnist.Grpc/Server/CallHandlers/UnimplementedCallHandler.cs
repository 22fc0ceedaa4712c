using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Server.CallHandlers;

/// <summary>Answers a path no bound method matches with Trailers-Only UNIMPLEMENTED.</summary>
internal sealed class UnimplementedCallHandler(string method, string detail, GrpcServerRuntime runtime) : ServerCallHandler(method, runtime)
{
    protected override Task HandleCallAsync(ServerCall call) =>
        throw new GrpcStatusException(StatusCode.Unimplemented, detail);
}
