using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Mnist.Inference.Grpc.Draining;

/// <summary>Refuses, with UNAVAILABLE, the mnist.v1.Mnist calls that <see cref="DrainMiddleware"/> saw arrive while draining.</summary>
internal sealed class DrainInterceptor(ServerDrain drain) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (!context.GetHttpContext().Items.ContainsKey(DrainMiddleware.RefusedKey))
        {
            return await continuation(request, context).ConfigureAwait(false);
        }

        if (drain.IsClosing)
        {
            // Keeps this connection's stream open while Kestrel starts closing it (see ServerDrain.CloseLinger).
            await Task.Delay(ServerDrain.CloseLinger, context.CancellationToken).ConfigureAwait(false);
        }

        throw ShuttingDown();
    }

    public static RpcException ShuttingDown() =>
        new(new Status(StatusCode.Unavailable, "The server is shutting down; retry on another instance."));
}
