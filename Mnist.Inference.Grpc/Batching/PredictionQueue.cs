using System.Threading.Channels;

namespace Mnist.Inference.Grpc.Batching;

/// <summary>
/// The calls waiting for a forward pass, as chunks of at most BATCH_MAX_SIZE images, at most a bound of images: a call
/// that would pass it is refused whole (all of a batch call's images, or none), so the queue's memory and its wait
/// both have a ceiling.
/// </summary>
internal sealed class PredictionQueue(int capacity)
{
    private readonly Channel<PendingChunk> _channel = Channel.CreateUnbounded<PendingChunk>(
        new UnboundedChannelOptions { AllowSynchronousContinuations = false });

    // Workers peek then read: the pair must not interleave with another worker's.
    private readonly Lock _reading = new();
    private int _count;

    public int Capacity { get; } = capacity;

    /// <summary>Images queued now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Reserves room for <paramref name="images"/>; false when the queue would pass its bound.</summary>
    public bool TryReserve(int images)
    {
        if (Interlocked.Add(ref _count, images) <= Capacity)
        {
            return true;
        }

        Interlocked.Add(ref _count, -images);
        return false;
    }

    /// <summary>Queues a chunk whose room was reserved; false once the queue is completed (its room is freed).</summary>
    public bool TryWrite(PendingChunk chunk)
    {
        if (_channel.Writer.TryWrite(chunk))
        {
            return true;
        }

        Interlocked.Add(ref _count, -chunk.Count);
        return false;
    }

    /// <summary>
    /// The next chunk if it fits in <paramref name="room"/> images, or if its call gave up (the caller drops it);
    /// false when nothing is queued or the next chunk is for the next forward.
    /// </summary>
    public bool TryRead(int room, out PendingChunk chunk)
    {
        lock (_reading)
        {
            if (!_channel.Reader.TryPeek(out chunk) || (chunk.Count > room && chunk.Call.IsWaiting) || !_channel.Reader.TryRead(out chunk))
            {
                return false;
            }
        }

        Interlocked.Add(ref _count, -chunk.Count);
        return true;
    }

    /// <summary>Every queued chunk, whatever its size: for failing them on the way out.</summary>
    public bool TryRead(out PendingChunk chunk) => TryRead(int.MaxValue, out chunk);

    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken);

    public void Complete() => _channel.Writer.TryComplete();
}
