using System.Net;

namespace Mnist.Tests;

/// <summary>A request body written in small flushed chunks (each its own DATA frame), optionally left open until released.</summary>
internal sealed class SlowContent(byte[] body, int chunkSize, TimeSpan pause, Task? holdOpenUntil = null) : HttpContent
{
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (var offset = 0; offset < body.Length; offset += chunkSize)
        {
            await stream.WriteAsync(body.AsMemory(offset, Math.Min(chunkSize, body.Length - offset)));
            await stream.FlushAsync();
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause);
            }
        }

        if (holdOpenUntil is not null)
        {
            await holdOpenUntil;
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
