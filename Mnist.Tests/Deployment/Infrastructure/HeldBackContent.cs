using System.Net;

namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>
/// A request body sent in two parts: the first at once, the rest only when <paramref name="release"/>
/// completes. Keeps a unary call in flight on the server (it is waiting for its message) for as long as needed.
/// </summary>
internal sealed class HeldBackContent(byte[] body, int splitAt, Task release) : HttpContent
{
    private readonly TaskCompletionSource _firstPartSent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first part has been flushed to the connection.</summary>
    public Task FirstPartSent => _firstPartSent.Task;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(body.AsMemory(0, splitAt));
        await stream.FlushAsync();
        _firstPartSent.TrySetResult();
        await release;
        await stream.WriteAsync(body.AsMemory(splitAt));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
