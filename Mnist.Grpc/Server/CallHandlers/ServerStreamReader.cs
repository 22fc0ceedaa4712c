using Google.Protobuf;
using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Server.CallHandlers;

internal sealed class ServerStreamReader<TRequest>(ServerCall call, MessageParser parser) : IAsyncStreamReader<TRequest>
    where TRequest : class
{
    private TRequest? _current;

    public TRequest Current => _current ?? throw new InvalidOperationException("Call MoveNextAsync first.");

    public async ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken = default)
    {
        var token = cancellationToken.CanBeCanceled ? cancellationToken : call.Context.CancellationToken;
        var message = await MessageFraming.ReadMessageAsync(call.Request.BodyReader, parser, call.ReadLimits, token).ConfigureAwait(false);
        _current = (TRequest?)message;
        return message is not null;
    }
}
