using Google.Protobuf;
using Google.Protobuf.Reflection;
using Mnist.Grpc.Server.CallHandlers;

namespace Mnist.Grpc.Server;

internal sealed class DuplexStreamingMethod<TRequest, TResponse>(
    MethodDescriptor descriptor, Func<IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, GrpcCallContext, Task> handler)
    : GrpcMethodDefinition(descriptor, GrpcMethodType.DuplexStreaming)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    public Func<IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, GrpcCallContext, Task> Handler { get; } = handler;

    internal override ServerCallHandler CreateCallHandler(GrpcServerRuntime runtime) => new DuplexStreamingCallHandler<TRequest, TResponse>(this, runtime);
}
