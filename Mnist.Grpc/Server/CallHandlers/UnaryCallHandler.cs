using Google.Protobuf;

namespace Mnist.Grpc.Server.CallHandlers;

/// <summary>One request message, one response message, then <c>grpc-status: 0</c>.</summary>
internal sealed class UnaryCallHandler<TRequest, TResponse>(UnaryMethod<TRequest, TResponse> method, GrpcServerRuntime runtime)
    : ServerCallHandler(method.Path, runtime)
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly MessageParser _parser = method.Descriptor.InputType.Parser;

    protected override async Task HandleCallAsync(ServerCall call)
    {
        var request = await RequestReading.ReadSingleAsync<TRequest>(call, _parser).ConfigureAwait(false);
        var response = await method.Handler(request, call.Context).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The handler of {Method} returned null.");
        // No flush: Kestrel sends headers, message and trailers together when the call completes.
        await call.WriteMessageAsync(response, flush: false, call.Context.CancellationToken).ConfigureAwait(false);
    }
}
