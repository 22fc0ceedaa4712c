using System.Diagnostics;
using Mnist.Model;

namespace Mnist.Inference.Grpc.Batching;

/// <summary>
/// One call waiting for its forwards: its images as one block, and the block its probabilities are written into,
/// so a call of N images costs one completion, one cancellation registration and no per-image copies. It is queued as
/// <see cref="PendingChunk"/>s of at most BATCH_MAX_SIZE images, which may run in different forwards; the last one
/// answered completes it. Its own cancellation (deadline or client cancel) completes it first if the forwards are late.
/// Continuations run on the thread pool, never on a batch loop.
/// </summary>
internal sealed class PendingPrediction : TaskCompletionSource<BatchPrediction>
{
    private CancellationTokenRegistration _cancellation;
    private int _unanswered;

    /// <param name="pixels">N*784 bytes, read by the forwards until the call completes: the caller must not reuse them.</param>
    public PendingPrediction(ReadOnlyMemory<byte> pixels, long enqueuedAt)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Pixels = pixels;
        Count = pixels.Length / MnistShape.PixelCount;
        Probabilities = new float[Count * MnistShape.ClassCount];
        _unanswered = Count;
        EnqueuedAt = enqueuedAt;
        Caller = Activity.Current;
    }

    /// <summary>When it was queued (<see cref="TimeProvider.GetTimestamp"/>), for the queue-wait histogram.</summary>
    public long EnqueuedAt { get; }

    /// <summary>The call's span (gRPC or REST request), if traced: the batch's span links to it.</summary>
    public Activity? Caller { get; }

    public ReadOnlyMemory<byte> Pixels { get; }

    /// <summary>Its images.</summary>
    public int Count { get; }

    /// <summary>Count x 10, image after image: the forwards write here.</summary>
    public float[] Probabilities { get; }

    /// <summary>Whether the caller is still waiting (not cancelled, not failed, not yet answered).</summary>
    public bool IsWaiting => !Task.IsCompleted;

    public void CancelWith(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(
                static (state, token) => ((PendingPrediction)state!).TrySetCanceled(token), this);
        }
    }

    /// <summary>A forward of <paramref name="modelVersion"/> wrote <paramref name="images"/> of its probabilities; the last completes the call.</summary>
    public void Answered(int images, string modelVersion)
    {
        if (Interlocked.Add(ref _unanswered, -images) == 0)
        {
            TrySetResult(new BatchPrediction(Probabilities, modelVersion));
            _cancellation.Dispose();
        }
    }

    public void Fail(Exception exception)
    {
        TrySetException(exception);
        _cancellation.Dispose();
    }
}

/// <summary>Images [Start, Start + Count) of a call: what one forward takes of it.</summary>
internal readonly record struct PendingChunk(PendingPrediction Call, int Start, int Count);
