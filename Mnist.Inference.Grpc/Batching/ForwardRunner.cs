using Mnist.Model;
using System.Diagnostics;
using Mnist.Inference.Grpc.ModelReload;
using Mnist.Inference.Grpc.Observability;
using Mnist.Model.Network;

namespace Mnist.Inference.Grpc.Batching;

/// <summary>
/// Runs one forward, of a queued batch or of a lone call, on the current model: leases it for the forward (a hot
/// reload frees the old one after its last batch), records the batch metrics and span, and turns a failed forward
/// into its calls' failure, never the caller's loop's.
/// </summary>
internal sealed class ForwardRunner(ModelStore models, TimeProvider time, InferenceMetrics metrics, ILogger logger)
{
    private long _forwards;

    /// <summary>Forward passes run so far.</summary>
    public long Forwards => Interlocked.Read(ref _forwards);

    /// <summary>A forward of one on the caller's thread.</summary>
    /// <exception cref="ModelUnavailableException">No model is loaded.</exception>
    public BatchPrediction RunAlone(ReadOnlySpan<byte> pixels)
    {
        var model = models.AcquireCurrent() ?? throw Unavailable();
        var batchId = Interlocked.Increment(ref _forwards);
        using var span = BatchTracing.StartAlone(batchId);
        try
        {
            metrics.BatchFormed(1);
            metrics.QueueWaited(TimeSpan.Zero);
            var probabilities = new float[MnistShape.ClassCount];
            using (MnistTelemetry.Source.StartActivity(MnistTelemetry.InferenceSpan))
            {
                model.Predictor.Predict(pixels, probabilities);
            }

            return new BatchPrediction(probabilities, model.Version);
        }
        catch (Exception e)
        {
            BatchingLog.BatchFailed(logger, 1, e);
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
        finally
        {
            model.Release();
        }
    }

    /// <summary>One forward of the whole batch; answers (or fails) and disposes every call in it.</summary>
    /// <param name="pixels">The worker's input buffer, room for a full batch.</param>
    /// <param name="probabilities">The worker's output buffer, room for a full batch.</param>
    public void Run(List<PendingPrediction> batch, byte[] pixels, float[] probabilities)
    {
        var model = models.AcquireCurrent();
        Activity? span = null;
        try
        {
            if (model is null)
            {
                var unavailable = Unavailable();
                batch.ForEach(p => p.TrySetException(unavailable));
                return;
            }

            var n = batch.Count;
            var batchId = Interlocked.Increment(ref _forwards);
            span = BatchTracing.StartBatch(batch, batchId);
            metrics.BatchFormed(n);
            for (var i = 0; i < n; i++)
            {
                batch[i].Pixels.CopyTo(pixels, i * MnistShape.PixelCount);
                metrics.QueueWaited(time.GetElapsedTime(batch[i].EnqueuedAt));
            }

            using (MnistTelemetry.Source.StartActivity(MnistTelemetry.InferenceSpan))
            {
                model.Predictor.Predict(pixels.AsSpan(0, n * MnistShape.PixelCount), probabilities.AsSpan(0, n * MnistShape.ClassCount));
            }

            for (var i = 0; i < n; i++)
            {
                BatchTracing.Joined(batch[i], batchId, n);
                var mine = probabilities.AsSpan(i * MnistShape.ClassCount, MnistShape.ClassCount).ToArray();
                batch[i].TrySetResult(new BatchPrediction(mine, model.Version));
            }
        }
        catch (Exception e) // a failed forward fails its calls, never the loop that serves all the others
        {
            BatchingLog.BatchFailed(logger, batch.Count, e);
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

    private ModelUnavailableException Unavailable() => new(models.UnavailableReason);
}
