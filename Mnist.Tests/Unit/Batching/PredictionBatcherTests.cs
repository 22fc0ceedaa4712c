using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Grpc.Core;
using Mnist.Inference.Grpc.Admission;
using Mnist.Inference.Grpc.Batching;
using Mnist.Inference.Grpc.ModelReload;
using Mnist.Model.Inference;

namespace Mnist.Tests.Unit.Batching;

[Category("Unit")]
public class PredictionBatcherTests
{
    private const int Seed = 7;
    private const string Version = "seeded-7";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task PredictAsync_LoneCall_DoesNotWaitForCompany()
    {
        // Timers never fire: had the lone call waited for others, it would never be answered.
        await using var batcher = await StartAsync(new BatchingOptions { MaxWaitMicroseconds = 100_000 }, new FrozenTimeProvider());

        for (var i = 0; i < 3; i++)
        {
            var result = await batcher.Batcher.PredictAsync(TestModel.TestSet.Image(i), CancellationToken.None).WaitAsync(Timeout);
            Assert.That(result.ModelVersion, Is.EqualTo(Version));
        }

        Assert.That(batcher.Batcher.BatchesRun, Is.EqualTo(3));
    }

    [Test]
    public async Task PredictAsync_IdleServer_AnswersOnTheCallersThread()
    {
        await using var batcher = await StartAsync(new BatchingOptions(), TimeProvider.System);

        var call = batcher.Batcher.PredictAsync(TestModel.TestSet.Image(0), CancellationToken.None);

        Assert.That(call.IsCompletedSuccessfully, Is.True, "no queue, no hand-off to a worker");
        Assert.That(call.Result.Probabilities, Is.EqualTo(DirectPrediction(0)).Within(1e-6));
    }

    [Test]
    public async Task PredictAsync_AlreadyCancelled_IsCancelledWithoutAForward()
    {
        await using var batcher = await StartAsync(new BatchingOptions(), TimeProvider.System);

        var call = batcher.Batcher.PredictAsync(TestModel.TestSet.Image(0), new CancellationToken(canceled: true));

        Assert.That(call.IsCanceled, Is.True);
        Assert.That(batcher.Batcher.BatchesRun, Is.Zero);
    }

    [Test]
    public async Task PredictAsync_CallsQueuedTogether_OneForwardPerMaxSize()
    {
        await using var batcher = Create(new BatchingOptions { MaxSize = 4, MaxWaitMicroseconds = 0, Workers = 1 }, TimeProvider.System);
        var calls = Enumerable.Range(0, 10).Select(i => batcher.Batcher.PredictAsync(TestModel.TestSet.Image(i), CancellationToken.None)).ToArray();

        await batcher.StartAsync();
        var results = await Task.WhenAll(calls).WaitAsync(Timeout);

        Assert.That(batcher.Batcher.BatchesRun, Is.EqualTo(3), "4 + 4 + 2");
        for (var i = 0; i < results.Length; i++)
        {
            Assert.That(results[i].Probabilities, Is.EqualTo(DirectPrediction(i)).Within(1e-6), $"call {i} got its own image's answer");
        }
    }

    [Test]
    public async Task PredictAsync_CancelledCall_IsCancelledAndTheOthersAreAnswered()
    {
        await using var batcher = Create(new BatchingOptions { MaxWaitMicroseconds = 0 }, TimeProvider.System);
        using var cancel = new CancellationTokenSource();
        var kept = batcher.Batcher.PredictAsync(TestModel.TestSet.Image(0), CancellationToken.None);
        var cancelled = batcher.Batcher.PredictAsync(TestModel.TestSet.Image(1), cancel.Token);
        var alsoKept = batcher.Batcher.PredictAsync(TestModel.TestSet.Image(2), CancellationToken.None);

        await cancel.CancelAsync();
        await batcher.StartAsync();

        Assert.That(async () => await cancelled.WaitAsync(Timeout), Throws.InstanceOf<OperationCanceledException>());
        Assert.That((await kept.WaitAsync(Timeout)).ModelVersion, Is.EqualTo(Version));
        Assert.That((await alsoKept.WaitAsync(Timeout)).ModelVersion, Is.EqualTo(Version));
        Assert.That(batcher.Batcher.BatchesRun, Is.EqualTo(1), "the cancelled call left the batch");
    }

    [Test]
    public async Task PredictAsync_QueueFull_ResourceExhaustedWithPushback()
    {
        // Not started: nothing leaves the queue.
        await using var batcher = Create(new BatchingOptions(), TimeProvider.System, new AdmissionOptions { MaxQueuedImages = 2 });
        var queued = Enumerable.Range(0, 2).Select(i => batcher.Batcher.PredictAsync(TestModel.TestSet.Image(i), CancellationToken.None)).ToArray();

        var refused = batcher.Batcher.PredictAsync(TestModel.TestSet.Image(2), CancellationToken.None);

        var e = Assert.ThrowsAsync<RpcException>(async () => await refused.WaitAsync(Timeout));
        Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
        Assert.That(e.Status.Detail, Does.Contain("2 images").And.Contain("MAX_QUEUED_IMAGES"));
        Assert.That(e.Trailers.GetValue("grpc-retry-pushback-ms"), Is.EqualTo("1000"));
        await batcher.StartAsync();
        Assert.That((await Task.WhenAll(queued).WaitAsync(Timeout)).Select(r => r.ModelVersion), Is.All.EqualTo(Version));
    }

    [Test]
    public async Task PredictBatchAsync_MoreImagesThanTheQueueEverHolds_InvalidArgumentNotRetryLater()
    {
        await using var batcher = Create(new BatchingOptions(), TimeProvider.System, new AdmissionOptions { MaxQueuedImages = 3 });

        var e = Assert.ThrowsAsync<RpcException>(async () => await batcher.Batcher.PredictBatchAsync(new byte[4 * 784], CancellationToken.None).WaitAsync(Timeout));

        Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(e.Status.Detail, Does.Contain("request of 4 images").And.Contain("at most 3 images (MAX_QUEUED_IMAGES)"));
        Assert.That(e.Trailers.GetValue("grpc-retry-pushback-ms"), Is.Null);
    }

    [Test]
    public async Task PredictBatchAsync_MoreImagesThanRoom_RefusedWholeAndTheQueueStaysUsable()
    {
        await using var batcher = Create(new BatchingOptions(), TimeProvider.System, new AdmissionOptions { MaxQueuedImages = 3 });
        var queued = batcher.Batcher.PredictAsync(TestModel.TestSet.Image(0), CancellationToken.None);
        var three = new byte[3 * 784];

        var e = Assert.ThrowsAsync<RpcException>(async () => await batcher.Batcher.PredictBatchAsync(three, CancellationToken.None).WaitAsync(Timeout));
        var two = batcher.Batcher.PredictBatchAsync(new byte[2 * 784], CancellationToken.None);

        Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
        await batcher.StartAsync();
        Assert.That((await two.WaitAsync(Timeout)).Probabilities, Has.Length.EqualTo(2 * 10), "none of the refused call's images took room");
        Assert.That((await queued.WaitAsync(Timeout)).ModelVersion, Is.EqualTo(Version));
    }

    [Test]
    public async Task PredictBatchAsync_MoreImagesThanMaxSize_ForwardsOfAtMostMaxSizeEachImageItsOwnAnswer()
    {
        await using var batcher = Create(new BatchingOptions { MaxSize = 4, MaxWaitMicroseconds = 0, Workers = 1 }, TimeProvider.System);
        var pixels = Enumerable.Range(0, 10).SelectMany(i => TestModel.TestSet.Image(i).ToArray()).ToArray();
        var call = batcher.Batcher.PredictBatchAsync(pixels, CancellationToken.None);

        await batcher.StartAsync();
        var result = await call.WaitAsync(Timeout);

        Assert.That(batcher.Batcher.BatchesRun, Is.EqualTo(3), "4 + 4 + 2");
        Assert.That(result.Probabilities, Has.Length.EqualTo(10 * 10));
        for (var i = 0; i < 10; i++)
        {
            Assert.That(result.Probabilities.AsSpan(i * 10, 10).ToArray(), Is.EqualTo(DirectPrediction(i)).Within(1e-6), $"image {i} got its own answer");
        }
    }

    [Test]
    public async Task PredictBatchAsync_BesideSingleCalls_SharesTheirForwardsWithoutPassingMaxSize()
    {
        await using var batcher = Create(new BatchingOptions { MaxSize = 4, MaxWaitMicroseconds = 0, Workers = 1 }, TimeProvider.System);
        var single = batcher.Batcher.PredictAsync(TestModel.TestSet.Image(5), CancellationToken.None);
        var pair = batcher.Batcher.PredictBatchAsync(TestModel.TestSet.Image(0).ToArray().Concat(TestModel.TestSet.Image(1).ToArray()).ToArray(), CancellationToken.None);
        var five = batcher.Batcher.PredictBatchAsync(Enumerable.Range(2, 5).SelectMany(i => TestModel.TestSet.Image(i).ToArray()).ToArray(), CancellationToken.None);

        await batcher.StartAsync();
        var (one, two, last) = (await single.WaitAsync(Timeout), await pair.WaitAsync(Timeout), await five.WaitAsync(Timeout));

        // 1 + 2 in one forward (the next chunk, 4 images, does not fit), then 4, then 1.
        Assert.That(batcher.Batcher.BatchesRun, Is.EqualTo(3));
        Assert.That(one.Probabilities, Is.EqualTo(DirectPrediction(5)).Within(1e-6));
        Assert.That(two.Probabilities.AsSpan(10, 10).ToArray(), Is.EqualTo(DirectPrediction(1)).Within(1e-6));
        Assert.That(last.Probabilities.AsSpan(40, 10).ToArray(), Is.EqualTo(DirectPrediction(6)).Within(1e-6));
    }

    [Test]
    public async Task PredictBatchAsync_Cancelled_LeavesTheQueueWholeAndTheOthersAreAnswered()
    {
        await using var batcher = Create(new BatchingOptions { MaxSize = 4, MaxWaitMicroseconds = 0, Workers = 1 }, TimeProvider.System, new AdmissionOptions { MaxQueuedImages = 7 });
        using var cancel = new CancellationTokenSource();
        var cancelled = batcher.Batcher.PredictBatchAsync(new byte[6 * 784], cancel.Token);
        var kept = batcher.Batcher.PredictAsync(TestModel.TestSet.Image(0), CancellationToken.None);

        await cancel.CancelAsync();
        await batcher.StartAsync();

        Assert.That(async () => await cancelled.WaitAsync(Timeout), Throws.InstanceOf<OperationCanceledException>());
        Assert.That((await kept.WaitAsync(Timeout)).Probabilities, Is.EqualTo(DirectPrediction(0)).Within(1e-6));
        Assert.That(batcher.Batcher.BatchesRun, Is.EqualTo(1), "the cancelled call's chunks left without a forward");
        var again = await batcher.Batcher.PredictBatchAsync(new byte[7 * 784], CancellationToken.None).WaitAsync(Timeout);
        Assert.That(again.Probabilities, Has.Length.EqualTo(70), "the dropped chunks gave their room back");
    }

    [Test]
    public async Task PredictAsync_NoModel_FailsWithModelUnavailable()
    {
        var store = new ModelStore();
        var batcher = new PredictionBatcher(store, Options.Create(new BatchingOptions()), Options.Create(new AdmissionOptions()), TimeProvider.System, TestMetrics.For(store), NullLogger<PredictionBatcher>.Instance);
        await batcher.StartAsync(CancellationToken.None);
        try
        {
            Assert.That(async () => await batcher.PredictAsync(new byte[784], CancellationToken.None).WaitAsync(Timeout),
                Throws.TypeOf<ModelUnavailableException>());
        }
        finally
        {
            await batcher.StopAsync(CancellationToken.None);
            batcher.Dispose();
        }
    }

    [Test]
    public void PredictAsync_WrongPixelCount_ThrowsArgument()
    {
        var batcher = new PredictionBatcher(new ModelStore(), Options.Create(new BatchingOptions()), Options.Create(new AdmissionOptions()), TimeProvider.System, TestMetrics.For(new ModelStore()), NullLogger<PredictionBatcher>.Instance);

        Assert.That(() => batcher.PredictAsync(new byte[783], CancellationToken.None), Throws.ArgumentException.With.Message.Contains("784"));
        batcher.Dispose();
    }

    private static async Task<RunningBatcher> StartAsync(BatchingOptions options, TimeProvider time)
    {
        var batcher = Create(options, time);
        await batcher.StartAsync();
        return batcher;
    }

    private static RunningBatcher Create(BatchingOptions options, TimeProvider time, AdmissionOptions? admission = null)
    {
        var store = new ModelStore();
        store.Publish(new LoadedModel(new MnistPredictor(NetWeights.Seeded(Seed)), Version));
        return new RunningBatcher(new PredictionBatcher(store, Options.Create(options), Options.Create(admission ?? new AdmissionOptions()), time, TestMetrics.For(store), NullLogger<PredictionBatcher>.Instance));
    }

    // What the batcher must answer for test image i: the same weights' forward of that image alone.
    private static float[] DirectPrediction(int i)
    {
        using var direct = new MnistPredictor(NetWeights.Seeded(Seed));
        var probabilities = new float[10];
        direct.Predict(TestModel.TestSet.Image(i), probabilities);
        return probabilities;
    }

    private sealed class RunningBatcher(PredictionBatcher batcher) : IAsyncDisposable
    {
        public PredictionBatcher Batcher => batcher;

        public Task StartAsync() => batcher.StartAsync(CancellationToken.None);

        public async ValueTask DisposeAsync()
        {
            await batcher.StopAsync(CancellationToken.None);
            batcher.Dispose();
        }
    }
}
