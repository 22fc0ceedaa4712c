using Google.Protobuf;

namespace Mnist.Grpc.Server.CallHandlers;

/// <summary>Requests and responses flow concurrently; the handler answers without waiting for the client to half-close.</summary>
internal sealed class DuplexStreamingCallHandler<TRequest, TResponse>(DuplexStreamingMethod<TRequest, TResponse> method, GrpcServerRuntime runtime)
    : ServerCallHandler(method.Path, runtime)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly MessageParser _parser = method.Descriptor.InputType.Parser;

    protected override bool IsStreamingRequest => true;

    protected override Task HandleCallAsync(ServerCall call) =>
        method.Handler(new ServerStreamReader<TRequest>(call, _parser), new ServerStreamWriter<TResponse>(call), call.Context);
}
