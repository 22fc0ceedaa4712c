using System.Threading.Channels;

namespace Mnist.Inference.Grpc.Batching;

/// <summary>
/// The calls waiting for a forward pass, at most a bound of images: a call that would pass it is refused whole (all
/// of a batch call's images, or none), so the queue's memory and its wait both have a ceiling.
/// </summary>
internal sealed class PredictionQueue(int capacity)
{
    private readonly Channel<PendingPrediction> _channel = Channel.CreateUnbounded<PendingPrediction>(
        new UnboundedChannelOptions { AllowSynchronousContinuations = false });

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

    /// <summary>Queues a call whose room was reserved; false once the queue is completed (the room is freed).</summary>
    public bool TryWrite(PendingPrediction pending)
    {
        if (_channel.Writer.TryWrite(pending))
        {
            return true;
        }

        Interlocked.Decrement(ref _count);
        return false;
    }

    public bool TryRead(out PendingPrediction pending)
    {
        if (_channel.Reader.TryRead(out pending!))
        {
            Interlocked.Decrement(ref _count);
            return true;
        }

        return false;
    }

    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken);

    public void Complete() => _channel.Writer.TryComplete();
}
