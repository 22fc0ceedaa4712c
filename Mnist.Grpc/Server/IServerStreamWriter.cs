namespace Mnist.Grpc.Server;

/// <summary>Writes the response messages of a streaming call; each write is flushed to the client.</summary>
public interface IServerStreamWriter<in TResponse>
{
    /// <summary>Sends one message. Not thread-safe: await each write before the next.</summary>
    Task WriteAsync(TResponse message, CancellationToken cancellationToken = default);
}
