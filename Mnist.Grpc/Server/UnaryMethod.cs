using Google.Protobuf;
using Google.Protobuf.Reflection;
using Mnist.Grpc.Server.CallHandlers;

namespace Mnist.Grpc.Server;

internal sealed class UnaryMethod<TRequest, TResponse>(MethodDescriptor descriptor, Func<TRequest, GrpcCallContext, Task<TResponse>> handler)
    : GrpcUnaryMethod(descriptor)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    public Func<TRequest, GrpcCallContext, Task<TResponse>> Handler { get; } = handler;

    public override async Task<IMessage> InvokeAsync(IMessage request, GrpcCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (request is not TRequest typed)
        {
            throw new ArgumentException($"{Path} takes {typeof(TRequest).Name}, not {request?.GetType().Name ?? "null"}.", nameof(request));
        }

        return await Handler(typed, context).ConfigureAwait(false);
    }

    internal override ServerCallHandler CreateCallHandler(GrpcServerRuntime runtime) => new UnaryCallHandler<TRequest, TResponse>(this, runtime);
}
