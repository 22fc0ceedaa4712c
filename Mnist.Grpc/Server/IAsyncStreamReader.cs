namespace Mnist.Grpc.Server;

/// <summary>Reads the request messages of a client- or bidi-streaming call as they arrive.</summary>
public interface IAsyncStreamReader<out TRequest>
{
    /// <summary>The message read by the last successful <see cref="MoveNextAsync"/>.</summary>
    TRequest Current { get; }

    /// <summary>Waits for the next message; false once the client has half-closed.</summary>
    ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken = default);
}
