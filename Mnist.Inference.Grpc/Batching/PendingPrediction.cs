using Mnist.Model.Network;

namespace Mnist.Inference.Grpc.Batching;

/// <summary>
/// One call waiting in the queue: its own copy of the pixels, and its completion, which its own cancellation
/// (deadline or client cancel) completes first if the batch is late. Continuations run on the thread pool, never
/// on the batch loop.
/// </summary>
internal sealed class PendingPrediction : TaskCompletionSource<BatchPrediction>, IDisposable
{
    private CancellationTokenRegistration _cancellation;

    public PendingPrediction(ReadOnlySpan<byte> pixels)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        if (pixels.Length != MnistNet.PixelCount)
        {
            throw new ArgumentException($"An image is {MnistNet.PixelCount} pixels (28x28 bytes), got {pixels.Length}.", nameof(pixels));
        }

        Pixels = pixels.ToArray();
    }

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
