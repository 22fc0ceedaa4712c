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

    /// <summary>One forward of the whole batch; writes (or fails) every chunk's share of its call.</summary>
    /// <param name="images">The chunks' images, at most the buffers' room.</param>
    /// <param name="pixels">The worker's input buffer, room for a full batch.</param>
    /// <param name="probabilities">The worker's output buffer, room for a full batch.</param>
    public void Run(List<PendingChunk> batch, int images, byte[] pixels, float[] probabilities)
    {
        var model = models.AcquireCurrent();
        Activity? span = null;
        try
        {
            if (model is null)
            {
                var unavailable = Unavailable();
                batch.ForEach(c => c.Call.Fail(unavailable));
                return;
            }

            var batchId = Interlocked.Increment(ref _forwards);
            span = BatchTracing.StartBatch(batch, batchId, images);
            metrics.BatchFormed(images);
            var at = 0;
            foreach (var (call, start, count) in batch)
            {
                call.Pixels.Span.Slice(start * MnistShape.PixelCount, count * MnistShape.PixelCount).CopyTo(pixels.AsSpan(at * MnistShape.PixelCount));
                metrics.QueueWaited(time.GetElapsedTime(call.EnqueuedAt));
                at += count;
            }

            using (MnistTelemetry.Source.StartActivity(MnistTelemetry.InferenceSpan))
            {
                model.Predictor.Predict(pixels.AsSpan(0, images * MnistShape.PixelCount), probabilities.AsSpan(0, images * MnistShape.ClassCount));
            }

            at = 0;
            foreach (var (call, start, count) in batch)
            {
                BatchTracing.Joined(call, batchId, images);
                probabilities.AsSpan(at * MnistShape.ClassCount, count * MnistShape.ClassCount).CopyTo(call.Probabilities.AsSpan(start * MnistShape.ClassCount));
                call.Answered(count, model.Version);
                at += count;
            }
        }
        catch (Exception e) // a failed forward fails its calls, never the loop that serves all the others
        {
            BatchingLog.BatchFailed(logger, images, e);
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            batch.ForEach(c => c.Call.Fail(e));
        }
        finally
        {
            model?.Release();
            span?.Dispose();
        }
    }

    private ModelUnavailableException Unavailable() => new(models.UnavailableReason);
}
