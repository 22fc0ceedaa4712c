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
/// Gathers concurrent predictions into one forward pass. One loop takes everything queued (up to
/// BATCH_MAX_SIZE) and runs it; calls that arrive during a forward form the next batch, so batches grow with the
/// load by themselves. After a batch of n &gt; 1 the loop waits up to BATCH_MAX_WAIT_MICROSECONDS for about n
/// calls, as the answered callers send their next requests; a lone call on an idle server waits for nothing.
/// Every call keeps its own cancellation and deadline: one that gives up leaves the queue or its batch's answer.
/// </summary>
public sealed class PredictionBatcher : BackgroundService
{
    private readonly Channel<PendingPrediction> _queue = Channel.CreateUnbounded<PendingPrediction>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private readonly ModelStore _models;
    private readonly TimeProvider _time;
    private readonly ILogger<PredictionBatcher> _logger;
    private readonly InferenceMetrics _metrics;
    private readonly int _maxSize;
    private readonly TimeSpan _maxWait;
    private readonly int _threads;
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
        _threads = options.Value.TorchThreads;
    }

    /// <summary>Queues one 28x28 image (784 bytes, copied) and completes with its probabilities.</summary>
    /// <exception cref="OperationCanceledException">The call was cancelled or its deadline passed first.</exception>
    /// <exception cref="ModelUnavailableException">No model was loaded when its batch ran.</exception>
    public Task<BatchPrediction> PredictAsync(ReadOnlySpan<byte> pixels, CancellationToken cancellationToken)
    {
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
        // libtorch's intra-op pool is process-wide and forwards run one at a time here.
        torch.set_num_threads(_threads);
        BatchingLog.Started(_logger, _maxSize, (int)_maxWait.TotalMicroseconds, _threads);
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingPrediction>(_maxSize);
        var pixels = new byte[_maxSize * MnistNet.PixelCount];
        var probabilities = new float[_maxSize * MnistNet.ClassCount];
        var expected = 1;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                Take(batch);
                if (batch.Count < expected && _maxWait > TimeSpan.Zero)
                {
                    await WaitForMoreAsync(batch, expected, stoppingToken);
                }

                if (batch.Count == 0)
                {
                    continue;
                }

                expected = batch.Count;
                Run(batch, pixels, probabilities);
                batch.Clear();
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

    private async Task WaitForMoreAsync(List<PendingPrediction> batch, int expected, CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(_maxWait, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stoppingToken);
        try
        {
            while (batch.Count < expected && await _queue.Reader.WaitToReadAsync(linked.Token))
            {
                Take(batch);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
        {
            // Waited long enough: run what is there.
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

        while (_queue.Reader.TryRead(out var pending))
        {
            pending.TrySetException(stopped);
            pending.Dispose();
        }
    }
}
