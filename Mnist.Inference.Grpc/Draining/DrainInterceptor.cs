using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Mnist.Inference.Grpc.Draining;

/// <summary>Tracks every mnist.v1.Mnist call (gRPC and transcoded REST) for the drain; refuses new ones once it began.</summary>
internal sealed class DrainInterceptor(ServerDrain drain) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (!drain.TryEnter())
        {
            throw ShuttingDown();
        }

        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        finally
        {
            drain.Exit();
        }
    }

    public static RpcException ShuttingDown() =>
        new(new Status(StatusCode.Unavailable, "The server is shutting down; retry on another instance."));
}
