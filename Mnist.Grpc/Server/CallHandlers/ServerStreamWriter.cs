namespace Mnist.Grpc.Server.CallHandlers;

internal sealed class ServerStreamWriter<TResponse>(ServerCall call) : IServerStreamWriter<TResponse>
    where TResponse : class, Google.Protobuf.IMessage<TResponse>
{
    public Task WriteAsync(TResponse message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var token = cancellationToken.CanBeCanceled ? cancellationToken : call.Context.CancellationToken;
        return call.WriteMessageAsync(message, flush: true, token);
    }
}
