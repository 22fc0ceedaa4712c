using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Google.Protobuf;

namespace Mnist.Grpc.Client;

/// <summary>A bidirectional-streaming call: write requests while reading responses; dispose to end it.</summary>
public sealed class GrpcDuplexCall<TRequest, TResponse> : IAsyncDisposable
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    private readonly ChannelWriter<IMessage> _requests;
    private readonly ClientCall<TResponse> _call;

    internal GrpcDuplexCall(ChannelWriter<IMessage> requests, ClientCall<TResponse> call)
    {
        _requests = requests;
        _call = call;
    }

    /// <summary>Queues one request message; it is sent and flushed in order.</summary>
    public void Write(TRequest message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!_requests.TryWrite(message))
        {
            throw new InvalidOperationException("The request stream is already complete.");
        }
    }

    /// <summary>Half-closes the call: the server sees the end of the request stream.</summary>
    public void CompleteRequests() => _requests.TryComplete();

    /// <summary>Reads the next response; false after the OK status; throws GrpcStatusException otherwise.</summary>
    public ValueTask<bool> MoveNextAsync() => _call.MoveNextAsync();

    /// <summary>The response read by the last successful <see cref="MoveNextAsync"/>.</summary>
    public TResponse Current => _call.Current;

    /// <summary>Yields every remaining response.</summary>
    public async IAsyncEnumerable<TResponse> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await _call.MoveNextAsync().ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return _call.Current;
        }
    }

    /// <summary>Ends the call, cancelling it if the server has not finished.</summary>
    public ValueTask DisposeAsync()
    {
        _requests.TryComplete();
        return _call.DisposeAsync();
    }
}
