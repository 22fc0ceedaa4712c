using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Mnist.Inference.Grpc.Hosting;
using Mnist.Inference.Grpc.Models;
using Mnist.Inference.Grpc.Observability;
using Mnist.Model.Network;
using TorchSharp;

namespace Mnist.Inference.Grpc.Batching;

/// <summary>
/// Gathers concurrent predictions into forward passes, at most BATCH_WORKERS of them at once. A call that finds
/// the queue empty and a forward slot free runs at once on its own thread: a lone call waits for nothing and
/// crosses no thread. Otherwise it queues, and each worker loop takes everything queued (up to BATCH_MAX_SIZE)
/// into one forward; calls that arrive during a forward form the next batch, so batches grow with the load by
/// themselves. After a batch of n &gt; 1 a loop waits up to BATCH_MAX_WAIT_MICROSECONDS for about n calls, as the
/// answered callers send their next requests. Every queued call keeps its own cancellation and deadline: one that
/// gives up leaves the queue or its batch's answer.
/// </summary>
public sealed class PredictionBatcher : BackgroundService
{
    private readonly Channel<PendingPrediction> _queue = Channel.CreateUnbounded<PendingPrediction>(
        new UnboundedChannelOptions { AllowSynchronousContinuations = false });

    private readonly ModelStore _models;
    private readonly TimeProvider _time;
    private readonly ILogger<PredictionBatcher> _logger;
    private readonly InferenceMetrics _metrics;
    private readonly int _maxSize;
    private readonly TimeSpan _maxWait;
    private readonly int _workers;
    private readonly int _threads;
    private readonly SemaphoreSlim _forwardSlots;
    private volatile bool _running;
    private long _batchesRun;

    public PredictionBatcher(ModelStore models, IOptions<ServerOptions> options, TimeProvider time, InferenceMetrics metrics, ILogger<PredictionBatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _models = models;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        _maxSize = options.Value.BatchMaxSize;
        _maxWait = TimeSpan.FromMicroseconds(options.Value.BatchMaxWaitMicroseconds);
        _workers = options.Value.BatchWorkers;
        _threads = options.Value.TorchThreads;
        _forwardSlots = new SemaphoreSlim(_workers, _workers);
    }

    /// <summary>Predicts one 28x28 image (784 bytes): at once if the server is idle, else in the next batch.</summary>
    /// <exception cref="OperationCanceledException">The call was cancelled or its deadline passed first.</exception>
    /// <exception cref="ModelUnavailableException">No model was loaded when its forward ran.</exception>
    public Task<BatchPrediction> PredictAsync(ReadOnlySpan<byte> pixels, CancellationToken cancellationToken)
    {
        if (pixels.Length != MnistNet.PixelCount)
        {
            throw new ArgumentException($"An image is {MnistNet.PixelCount} pixels (28x28 bytes), got {pixels.Length}.", nameof(pixels));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<BatchPrediction>(cancellationToken);
        }

        if (_running && _queue.Reader.Count == 0 && _forwardSlots.Wait(0, CancellationToken.None))
        {
            try
            {
                return Task.FromResult(RunAlone(pixels));
            }
            catch (Exception e)
            {
                return Task.FromException<BatchPrediction>(e);
            }
            finally
            {
                _forwardSlots.Release();
            }
        }

        var pending = new PendingPrediction(pixels, _time.GetTimestamp());
        pending.CancelWith(cancellationToken);
        if (!_queue.Writer.TryWrite(pending))
        {
            pending.TrySetException(new OperationCanceledException("the server is shutting down"));
        }

        return pending.Task;
    }

    /// <summary>Forward passes run so far (for tests and diagnostics).</summary>
    internal long BatchesRun => Interlocked.Read(ref _batchesRun);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // libtorch's intra-op pool is process-wide: each of the concurrent forwards uses this many threads.
        torch.set_num_threads(_threads);
        BatchingLog.Started(_logger, _maxSize, (int)_maxWait.TotalMicroseconds, _workers, _threads);
        _running = true;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _running = false;
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        base.Dispose();
        _forwardSlots.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _workers).Select(i => StartWorker(i, stoppingToken)));

    // A thread of its own per worker, never a pool thread: glibc gives each thread that allocates a malloc arena,
    // and each arena keeps its peak (the tuned trim threshold); batches that hopped between pool threads after
    // every await made every pool thread's arena hold a batch's activations.
    private Task StartWorker(int index, CancellationToken stoppingToken)
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
            Name = $"forward {index}",
        };
        thread.Start();
        return stopped.Task;
    }

    private void Work(CancellationToken stoppingToken)
    {
        var batch = new List<PendingPrediction>(_maxSize);
        var pixels = new byte[_maxSize * MnistNet.PixelCount];
        var probabilities = new float[_maxSize * MnistNet.ClassCount];
        var expected = 1;
        try
        {
            while (WaitToRead(stoppingToken))
            {
                _forwardSlots.Wait(stoppingToken);
                try
                {
                    Take(batch);
                    if (batch.Count > 0 && batch.Count < expected && _maxWait > TimeSpan.Zero)
                    {
                        WaitForMore(batch, expected, stoppingToken);
                    }

                    if (batch.Count == 0)
                    {
                        continue;
                    }

                    expected = batch.Count;
                    Run(batch, pixels, probabilities);
                    batch.Clear();
                }
                finally
                {
                    _forwardSlots.Release();
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
        var wait = _queue.Reader.WaitToReadAsync(cancellationToken);
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    // Everything already queued, up to the batch size; calls that gave up are dropped here.
    private void Take(List<PendingPrediction> batch)
    {
        while (batch.Count < _maxSize && _queue.Reader.TryRead(out var pending))
        {
            if (pending.IsWaiting)
            {
                batch.Add(pending);
            }
            else
            {
                pending.Dispose();
            }
        }
    }

    private void WaitForMore(List<PendingPrediction> batch, int expected, CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(_maxWait, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stoppingToken);
        try
        {
            while (batch.Count < expected && WaitToRead(linked.Token))
            {
                Take(batch);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            // Waited long enough: run what is there.
        }
    }

    // A forward of one on the caller's thread, with the batch's metrics and span.
    private BatchPrediction RunAlone(ReadOnlySpan<byte> pixels)
    {
        var model = _models.AcquireCurrent()
            ?? throw new ModelUnavailableException($"no model is loaded ({_models.UnavailableReason ?? "not ready"})");
        var batchId = Interlocked.Increment(ref _batchesRun);
        using var span = BatchTracing.StartAlone(batchId);
        try
        {
            _metrics.BatchFormed(1);
            _metrics.QueueWaited(TimeSpan.Zero);
            var probabilities = new float[MnistNet.ClassCount];
            using (MnistTelemetry.Source.StartActivity(MnistTelemetry.InferenceSpan))
            {
                model.Predictor.Predict(pixels, probabilities);
            }

            return new BatchPrediction(probabilities, model.Version);
        }
        catch (Exception e)
        {
            BatchingLog.BatchFailed(_logger, 1, e);
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
        finally
        {
            model.Release();
        }
    }

    private void Run(List<PendingPrediction> batch, byte[] pixels, float[] probabilities)
    {
        var model = _models.AcquireCurrent();
        Activity? span = null;
        try
        {
            if (model is null)
            {
                var unavailable = new ModelUnavailableException($"no model is loaded ({_models.UnavailableReason ?? "not ready"})");
                batch.ForEach(p => p.TrySetException(unavailable));
                return;
            }

            var n = batch.Count;
            var batchId = Interlocked.Increment(ref _batchesRun);
            span = BatchTracing.StartBatch(batch, batchId);
            _metrics.BatchFormed(n);
            for (var i = 0; i < n; i++)
            {
                batch[i].Pixels.CopyTo(pixels, i * MnistNet.PixelCount);
                _metrics.QueueWaited(_time.GetElapsedTime(batch[i].EnqueuedAt));
            }

            using (MnistTelemetry.Source.StartActivity(MnistTelemetry.InferenceSpan))
            {
                model.Predictor.Predict(pixels.AsSpan(0, n * MnistNet.PixelCount), probabilities.AsSpan(0, n * MnistNet.ClassCount));
            }

            for (var i = 0; i < n; i++)
            {
                BatchTracing.Joined(batch[i], batchId, n);
                var mine = probabilities.AsSpan(i * MnistNet.ClassCount, MnistNet.ClassCount).ToArray();
                batch[i].TrySetResult(new BatchPrediction(mine, model.Version));
            }
        }
        catch (Exception e) // a failed forward fails its calls, never the loop that serves all the others
        {
            BatchingLog.BatchFailed(_logger, batch.Count, e);
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            batch.ForEach(p => p.TrySetException(e));
        }
        finally
        {
            model?.Release();
            batch.ForEach(p => p.Dispose());
            span?.Dispose();
        }
    }

    private void FailRemaining(List<PendingPrediction> batch)
    {
        var stopped = new OperationCanceledException("the server is shutting down");
        foreach (var pending in batch)
        {
            pending.TrySetException(stopped);
            pending.Dispose();
        }

        batch.Clear();
        while (_queue.Reader.TryRead(out var pending))
        {
            pending.TrySetException(stopped);
            pending.Dispose();
        }
    }
}
