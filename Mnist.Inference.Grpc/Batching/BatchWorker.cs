using Mnist.Model;
using Mnist.Model.Network;

namespace Mnist.Inference.Grpc.Batching;

/// <summary>
/// One forward loop on a thread of its own, never a pool thread: libtorch's native working memory stays in the
/// malloc arena of the thread that ran the forward, so few threads running forwards means few arenas holding a
/// batch's activations. Takes everything queued (up to the
/// batch size, in whole chunks) once it holds a forward slot; after a batch of n images it waits up to the batch wait
/// for about n more.
/// </summary>
internal sealed class BatchWorker(PredictionQueue queue, SemaphoreSlim forwardSlots, ForwardRunner runner, int maxSize, TimeSpan maxWait, TimeProvider time)
{
    /// <summary>Starts the loop on a new thread; the task ends when the queue is completed and empty, or on <paramref name="stoppingToken"/>.</summary>
    public Task Start(string name, CancellationToken stoppingToken)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Work(stoppingToken);
                stopped.SetResult();
            }
            catch (Exception e)
            {
                stopped.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return stopped.Task;
    }

    private void Work(CancellationToken stoppingToken)
    {
        var batch = new Batch(maxSize);
        var pixels = new byte[maxSize * MnistShape.PixelCount];
        var probabilities = new float[maxSize * MnistShape.ClassCount];
        var expected = 1;
        try
        {
            while (WaitToRead(stoppingToken))
            {
                forwardSlots.Wait(stoppingToken);
                try
                {
                    Take(batch);
                    if (batch.Images > 0 && batch.Images < expected && maxWait > TimeSpan.Zero)
                    {
                        WaitForMore(batch, expected, stoppingToken);
                    }

                    if (batch.Images == 0)
                    {
                        continue;
                    }

                    expected = batch.Images;
                    runner.Run(batch.Chunks, batch.Images, pixels, probabilities);
                    batch.Clear();
                }
                finally
                {
                    forwardSlots.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            FailRemaining(batch);
        }
    }

    // Blocks this worker's own thread until a call is queued (true) or the queue is completed (false).
    private bool WaitToRead(CancellationToken cancellationToken)
    {
        var wait = queue.WaitToReadAsync(cancellationToken);
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    // Everything already queued that fits, up to the batch size; calls that gave up are dropped here. False when it
    // took nothing: the queue is empty, or its next chunk is for the next forward.
    private bool Take(Batch batch)
    {
        var took = false;
        while (batch.Images < maxSize && queue.TryRead(maxSize - batch.Images, out var chunk))
        {
            took = true;
            if (chunk.Call.IsWaiting)
            {
                batch.Add(chunk);
            }
        }

        return took;
    }

    private void WaitForMore(Batch batch, int expected, CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(maxWait, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stoppingToken);
        try
        {
            while (batch.Images < expected && WaitToRead(linked.Token) && Take(batch))
            {
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            // Waited long enough: run what is there.
        }
    }

    // On the way out: whatever this loop holds, and whatever is still queued, is told the server is stopping.
    private void FailRemaining(Batch batch)
    {
        var stopped = new OperationCanceledException("the server is shutting down");
        foreach (var chunk in batch.Chunks)
        {
            chunk.Call.Fail(stopped);
        }

        batch.Clear();
        while (queue.TryRead(out var chunk))
        {
            chunk.Call.Fail(stopped);
        }
    }

    // The chunks of the forming forward and their images.
    private sealed class Batch(int maxSize)
    {
        public List<PendingChunk> Chunks { get; } = new(maxSize);

        public int Images { get; private set; }

        public void Add(PendingChunk chunk)
        {
            Chunks.Add(chunk);
            Images += chunk.Count;
        }

        public void Clear()
        {
            Chunks.Clear();
            Images = 0;
        }
    }
}
