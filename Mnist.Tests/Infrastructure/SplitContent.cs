using System.Net;

namespace Mnist.Tests;

/// <summary>A request body sent in two parts: the first at once, the rest only after <paramref name="release"/> completes.</summary>
internal sealed class SplitContent(byte[] body, int firstPart, Task release) : HttpContent
{
    private readonly TaskCompletionSource _firstPartSent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first part has been flushed to the connection.</summary>
    public Task FirstPartSent => _firstPartSent.Task;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(body.AsMemory(0, firstPart));
        await stream.FlushAsync();
        _firstPartSent.TrySetResult();
        await release;
        await stream.WriteAsync(body.AsMemory(firstPart));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
