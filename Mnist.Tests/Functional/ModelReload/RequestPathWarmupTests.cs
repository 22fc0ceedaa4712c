using Microsoft.Extensions.DependencyInjection;
using Google.Protobuf;
using Mnist.Inference.Grpc.Batching;
using Mnist.V1;

namespace Mnist.Tests.Functional.ModelReload;

/// <summary>The request path's warm-up at start-up: it runs before the server listens, and no client sees its calls in the metrics.</summary>
[Category("Functional")]
public class RequestPathWarmupTests
{
    private static readonly PredictRequest Request = new() { Pixels = ByteString.CopyFrom(TestModel.TestSet.Image(0)) };

    [Test]
    public async Task Start_WithAModel_RunsForwardsBeforeListeningAndLeavesThemOutOfTheMetrics()
    {
        await using var server = await InferenceServer.StartAsync();
        var forwardsAtStart = server.Services.GetRequiredService<PredictionBatcher>().BatchesRun;

        var prediction = await server.Client.PredictAsync(Request).ResponseAsync.WaitAsync(InferenceServer.Timeout);
        var metrics = await server.ScrapeUntilAsync(m => m.Sum("mnist_predictions_total") >= 1);

        Assert.That(forwardsAtStart, Is.GreaterThan(0), "the warm-up's calls went through the batcher before StartAsync returned");
        Assert.That(prediction.ModelVersion, Is.EqualTo(TestModel.Version));
        Assert.That(metrics.Sum("mnist_predictions_total"), Is.EqualTo(1), "only the client's call is counted");
        Assert.That(metrics.Sum("mnist_batch_size_count"), Is.EqualTo(1), "only the client's forward is counted");
    }

    [Test]
    public async Task Start_WarmupDisabled_RunsNoCallBeforeTheFirstClient()
    {
        await using var server = await InferenceServer.StartAsync(true, ("WARMUP_ENABLED", "false"));

        Assert.That(server.Services.GetRequiredService<PredictionBatcher>().BatchesRun, Is.Zero);
    }
}
