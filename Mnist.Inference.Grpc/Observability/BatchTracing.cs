using System.Diagnostics;
using Mnist.Inference.Grpc.Batching;

namespace Mnist.Inference.Grpc.Observability;

/// <summary>
/// The span of a batch: a child of its first call's span (so a lone call reads as one tree), linked to every
/// call it answers; each call's span records the batch it joined. Nothing is allocated while nobody listens.
/// </summary>
internal static class BatchTracing
{
    public static Activity? StartBatch(List<PendingPrediction> batch, long batchId)
    {
        if (!MnistTelemetry.Source.HasListeners())
        {
            return null;
        }

        var links = new List<ActivityLink>(batch.Count);
        foreach (var pending in batch)
        {
            if (pending.Caller is { } caller)
            {
                links.Add(new ActivityLink(caller.Context));
            }
        }

        var parent = batch[0].Caller?.Context ?? default;
        var activity = MnistTelemetry.Source.StartActivity(MnistTelemetry.BatchSpan, ActivityKind.Internal, parent, links: links);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MnistTelemetry.BatchIdTag, batchId);
            activity.SetTag(MnistTelemetry.BatchSizeTag, batch.Count);
        }

        return activity;
    }

    /// <summary>The span of a forward of one run on the caller's thread: a child of the call's span, and linked to it as a batch is.</summary>
    public static Activity? StartAlone(long batchId)
    {
        if (!MnistTelemetry.Source.HasListeners())
        {
            return null;
        }

        var caller = Activity.Current;
        ActivityLink[]? links = caller is null ? null : [new ActivityLink(caller.Context)];
        var activity = MnistTelemetry.Source.StartActivity(MnistTelemetry.BatchSpan, ActivityKind.Internal, caller?.Context ?? default, links: links);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MnistTelemetry.BatchIdTag, batchId);
            activity.SetTag(MnistTelemetry.BatchSizeTag, 1);
        }

        if (caller is { IsAllDataRequested: true })
        {
            caller.SetTag(MnistTelemetry.BatchIdTag, batchId);
            caller.SetTag(MnistTelemetry.BatchSizeTag, 1);
        }

        return activity;
    }

    /// <summary>Before the call is answered: its span is not ended, and its own thread is waiting for this answer.</summary>
    public static void Joined(PendingPrediction pending, long batchId, int batchSize)
    {
        if (pending.Caller is { IsAllDataRequested: true } caller)
        {
            caller.SetTag(MnistTelemetry.BatchIdTag, batchId);
            caller.SetTag(MnistTelemetry.BatchSizeTag, batchSize);
        }
    }
}
