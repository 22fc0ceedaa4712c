using Mnist.Model;
using Microsoft.Extensions.Options;
using Mnist.Inference.Grpc.Admission;
using Mnist.Inference.Grpc.Errors;
using Mnist.Inference.Grpc.ModelReload;
using Mnist.Inference.Grpc.Observability;
using Mnist.Model.Network;
using TorchSharp;

namespace Mnist.Inference.Grpc.Batching;

/// <summary>
/// Gathers concurrent predictions into forward passes, at most BATCH_WORKERS of them at once. A call that finds
/// nothing queued and a forward slot free runs at once on its own thread: a lone call waits for nothing and
/// crosses no thread. Otherwise it queues for the <see cref="BatchWorker"/>s, each of which takes
/// everything queued (up to BATCH_MAX_SIZE) into one forward; calls that arrive during a forward form the next
/// batch, so batches grow with the load by themselves. Every queued call keeps its own cancellation and deadline:
/// one that gives up leaves the queue or its batch's answer.
/// </summary>
public sealed class PredictionBatcher : BackgroundService
{
    private readonly PredictionQueue _queue;
    private readonly TimeProvider _time;
    private readonly ILogger<PredictionBatcher> _logger;
    private readonly int _maxSize;
    private readonly TimeSpan _maxWait;
    private readonly int _workers;
    private readonly int _threads;
    private readonly SemaphoreSlim _forwardSlots;
    private readonly ForwardRunner _runner;
    private volatile bool _running;

    public PredictionBatcher(ModelStore models, IOptions<BatchingOptions> options, IOptions<AdmissionOptions> admission, TimeProvider time, InferenceMetrics metrics, ILogger<PredictionBatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(admission);
        _queue = new PredictionQueue(admission.Value.MaxQueuedImages);
        _time = time;
        _logger = logger;
        _maxSize = options.Value.MaxSize;
        _maxWait = TimeSpan.FromMicroseconds(options.Value.MaxWaitMicroseconds);
        _workers = options.Value.Workers;
        _threads = options.Value.TorchThreads;
        _forwardSlots = new SemaphoreSlim(_workers, _workers);
        _runner = new ForwardRunner(models, time, metrics, logger);
    }

    /// <summary>Predicts one 28x28 image (784 bytes): at once if the server is idle, else in the next batch.</summary>
    /// <exception cref="OperationCanceledException">The call was cancelled or its deadline passed first.</exception>
    /// <exception cref="ModelUnavailableException">No model was loaded when its forward ran.</exception>
    /// <exception cref="Grpc.Core.RpcException">RESOURCE_EXHAUSTED: MAX_QUEUED_IMAGES are queued already.</exception>
    public Task<BatchPrediction> PredictAsync(ReadOnlySpan<byte> pixels, CancellationToken cancellationToken)
    {
        if (pixels.Length != MnistShape.PixelCount)
        {
            throw new ArgumentException($"An image is {MnistShape.PixelCount} pixels (28x28 bytes), got {pixels.Length}.", nameof(pixels));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<BatchPrediction>(cancellationToken);
        }

        if (_running && _queue.Count == 0 && _forwardSlots.Wait(0, CancellationToken.None))
        {
            try
            {
                return Task.FromResult(_runner.RunAlone(pixels));
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

        if (!_queue.TryReserve(1))
        {
            return Task.FromException<BatchPrediction>(Statuses.QueueFull(_queue.Capacity));
        }

        return Enqueue(pixels.ToArray(), cancellationToken);
    }

    /// <summary>
    /// Predicts N images at once (N*784 bytes, which the batcher reads until the task ends: do not reuse them), as one
    /// queued call in chunks of at most BATCH_MAX_SIZE images, which the workers take into their forwards beside any
    /// other calls queued. One image takes <see cref="PredictAsync"/>'s path.
    /// </summary>
    /// <returns>10 probabilities per image, image after image.</returns>
    /// <exception cref="OperationCanceledException">The call was cancelled or its deadline passed first.</exception>
    /// <exception cref="ModelUnavailableException">No model was loaded when a forward ran.</exception>
    /// <exception cref="Grpc.Core.RpcException">RESOURCE_EXHAUSTED: the images would pass MAX_QUEUED_IMAGES now;
    /// INVALID_ARGUMENT: they would pass it even with the queue empty, so retrying cannot help.</exception>
    public Task<BatchPrediction> PredictBatchAsync(ReadOnlyMemory<byte> pixels, CancellationToken cancellationToken)
    {
        var n = pixels.Length / MnistShape.PixelCount;
        if (n == 0 || n * MnistShape.PixelCount != pixels.Length)
        {
            throw new ArgumentException($"A batch is one or more whole {MnistShape.PixelCount}-pixel images, got {pixels.Length} bytes.", nameof(pixels));
        }

        if (n == 1)
        {
            return PredictAsync(pixels.Span, cancellationToken);
        }

        if (n > _queue.Capacity)
        {
            return Task.FromException<BatchPrediction>(Statuses.BatchLargerThanQueue(n, _queue.Capacity));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<BatchPrediction>(cancellationToken);
        }

        return _queue.TryReserve(n) ? Enqueue(pixels, cancellationToken) : Task.FromException<BatchPrediction>(Statuses.QueueFull(_queue.Capacity));
    }

    // Queues a call whose room is reserved, in chunks that each fit one forward.
    private Task<BatchPrediction> Enqueue(ReadOnlyMemory<byte> pixels, CancellationToken cancellationToken)
    {
        var call = new PendingPrediction(pixels, _time.GetTimestamp());
        call.CancelWith(cancellationToken);
        var queued = true;
        for (var start = 0; start < call.Count; start += _maxSize)
        {
            queued &= _queue.TryWrite(new PendingChunk(call, start, Math.Min(_maxSize, call.Count - start)));
        }

        if (!queued)
        {
            call.Fail(new OperationCanceledException("the server is shutting down"));
        }

        return call.Task;
    }

    /// <summary>Forward passes run so far (for tests and diagnostics).</summary>
    internal long BatchesRun => _runner.Forwards;

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
        _queue.Complete();
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        base.Dispose();
        _forwardSlots.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _workers).Select(i =>
            new BatchWorker(_queue, _forwardSlots, _runner, _maxSize, _maxWait, _time).Start($"forward {i}", stoppingToken)));
}
