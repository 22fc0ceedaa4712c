using Grpc.Core;
using Grpc.Core.Interceptors;
using Mnist.Inference.Grpc.Errors;

namespace Mnist.Inference.Grpc.Draining;

/// <summary>Refuses, with UNAVAILABLE, the mnist.v1.Mnist calls that <see cref="DrainMiddleware"/> saw arrive while draining.</summary>
internal sealed class DrainInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        context.GetHttpContext().Items.ContainsKey(DrainMiddleware.RefusedKey) ? throw Statuses.ShuttingDown() : continuation(request, context);
}
