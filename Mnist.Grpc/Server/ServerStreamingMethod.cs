using Google.Protobuf;
using Google.Protobuf.Reflection;
using Mnist.Grpc.Server.CallHandlers;

namespace Mnist.Grpc.Server;

internal sealed class ServerStreamingMethod<TRequest, TResponse>(
    MethodDescriptor descriptor, Func<TRequest, IServerStreamWriter<TResponse>, GrpcCallContext, Task> handler)
    : GrpcMethodDefinition(descriptor, GrpcMethodType.ServerStreaming)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    public Func<TRequest, IServerStreamWriter<TResponse>, GrpcCallContext, Task> Handler { get; } = handler;

    internal override ServerCallHandler CreateCallHandler(GrpcServerRuntime runtime) => new ServerStreamingCallHandler<TRequest, TResponse>(this, runtime);
}
