using System.Diagnostics;
using Mnist.Inference.Grpc.Observability;

namespace Mnist.Inference.Grpc.Batching;

/// <summary>
/// The span of a batch: a child of its first call's span (so a lone call reads as one tree), linked to every
/// call it answers; each call's span records the batch it joined. Nothing is allocated while nobody listens.
/// </summary>
internal static class BatchTracing
{
    public static Activity? StartBatch(List<PendingChunk> batch, long batchId, int images)
    {
        if (!MnistTelemetry.Source.HasListeners())
        {
            return null;
        }

        var links = new List<ActivityLink>(batch.Count);
        foreach (var chunk in batch)
        {
            if (chunk.Call.Caller is { } caller)
            {
                links.Add(new ActivityLink(caller.Context));
            }
        }

        return Start(batch[0].Call.Caller, links, batchId, images);
    }

    /// <summary>The span of a forward of one run on the caller's thread: a child of the call's span, and linked to it as a batch is.</summary>
    public static Activity? StartAlone(long batchId)
    {
        if (!MnistTelemetry.Source.HasListeners())
        {
            return null;
        }

        var caller = Activity.Current;
        Tag(caller, batchId, 1);
        return Start(caller, caller is null ? null : [new ActivityLink(caller.Context)], batchId, 1);
    }

    /// <summary>Before the call is answered: its span is not ended, and its own thread is waiting for this answer.</summary>
    public static void Joined(PendingPrediction pending, long batchId, int batchSize) => Tag(pending.Caller, batchId, batchSize);

    private static Activity? Start(Activity? parent, IEnumerable<ActivityLink>? links, long batchId, int batchSize)
    {
        var activity = MnistTelemetry.Source.StartActivity(MnistTelemetry.BatchSpan, ActivityKind.Internal, parent?.Context ?? default, links: links);
        Tag(activity, batchId, batchSize);
        return activity;
    }

    private static void Tag(Activity? activity, long batchId, int batchSize)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(MnistTelemetry.BatchIdTag, batchId);
            activity.SetTag(MnistTelemetry.BatchSizeTag, batchSize);
        }
    }
}
