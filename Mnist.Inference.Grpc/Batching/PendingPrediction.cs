using System.Diagnostics;

namespace Mnist.Inference.Grpc.Batching;

/// <summary>
/// One call waiting in the queue: its own copy of the pixels, and its completion, which its own cancellation
/// (deadline or client cancel) completes first if the batch is late. Continuations run on the thread pool, never
/// on the batch loop.
/// </summary>
internal sealed class PendingPrediction : TaskCompletionSource<BatchPrediction>, IDisposable
{
    private CancellationTokenRegistration _cancellation;

    public PendingPrediction(ReadOnlySpan<byte> pixels, long enqueuedAt)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Pixels = pixels.ToArray();
        EnqueuedAt = enqueuedAt;
        Caller = Activity.Current;
    }

    /// <summary>When it was queued (<see cref="TimeProvider.GetTimestamp"/>), for the queue-wait histogram.</summary>
    public long EnqueuedAt { get; }

    /// <summary>The call's span (gRPC or REST request), if traced: the batch's span links to it.</summary>
    public Activity? Caller { get; }

    public byte[] Pixels { get; }

    /// <summary>Whether the caller is still waiting (not cancelled, not yet answered).</summary>
    public bool IsWaiting => !Task.IsCompleted;

    public void CancelWith(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(
                static (state, token) => ((PendingPrediction)state!).TrySetCanceled(token), this);
        }
    }

    public void Dispose() => _cancellation.Dispose();
}
