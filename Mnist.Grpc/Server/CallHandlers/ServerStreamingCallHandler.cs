using Google.Protobuf;

namespace Mnist.Grpc.Server.CallHandlers;

/// <summary>One request message, then every message the handler writes, each flushed.</summary>
internal sealed class ServerStreamingCallHandler<TRequest, TResponse>(ServerStreamingMethod<TRequest, TResponse> method, GrpcServerRuntime runtime)
    : ServerCallHandler(method.Path, runtime)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly MessageParser _parser = method.Descriptor.InputType.Parser;

    protected override async Task HandleCallAsync(ServerCall call)
    {
        var request = await RequestReading.ReadSingleAsync<TRequest>(call, _parser).ConfigureAwait(false);
        await method.Handler(request, new ServerStreamWriter<TResponse>(call), call.Context).ConfigureAwait(false);
    }
}
