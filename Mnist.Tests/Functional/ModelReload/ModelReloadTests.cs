using Google.Protobuf;
using Mnist.V1;
using Grpc.Core;
using Mnist.Model.Weights;
using Mnist.Tests.Functional.Inference;

namespace Mnist.Tests.Functional.ModelReload;

/// <summary>The model on the volume: late arrival, atomic replacement under load, and refusal of bad files.</summary>
[Category("Functional")]
public class ModelReloadTests
{
    private static readonly PredictRequest Request = new() { Pixels = ByteString.CopyFrom(TestModel.TestSet.Image(0)) };

    [Test]
    public async Task Start_NoModel_NotServingThenServesOnceTheTrainerWritesIt()
    {
        await using var server = await InferenceServer.StartAsync(withModel: false);

        var health = await server.Client.HealthAsync(new HealthRequest()).ResponseAsync.WaitAsync(InferenceServer.Timeout);
        var error = await MnistServiceFunctionalTests.CatchAsync(() => server.Client.PredictAsync(Request).ResponseAsync);
        Assert.That(health.Status, Is.EqualTo(HealthResponse.Types.Status.NotServing));
        Assert.That(health.Message, Does.Contain("model.dat"));
        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.Unavailable));

        TestModel.WriteTo(server.ModelDir);
        await server.WaitForModelAsync(TestModel.Version);

        var prediction = await server.Client.PredictAsync(Request).ResponseAsync.WaitAsync(InferenceServer.Timeout);
        Assert.That(prediction.ModelVersion, Is.EqualTo(TestModel.Version));
    }

    [TestCase("true", 6)] // batch sizes 1 and BATCH_MAX_SIZE (8), three forwards each
    [TestCase("false", 0)]
    public async Task Start_WarmupSetting_WarmsUpBeforeServingAndTheFirstCallSucceeds(string enabled, int forwards)
    {
        await using var server = await InferenceServer.StartAsync(withModel: false, ("WARMUP_ENABLED", enabled));
        var warmedAtPublish = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Models.Changed += model => warmedAtPublish.TrySetResult(model?.WarmupForwards ?? -1);

        TestModel.WriteTo(server.ModelDir);
        var atPublish = await warmedAtPublish.Task.WaitAsync(InferenceServer.Timeout);
        await server.WaitForModelAsync(TestModel.Version);
        var prediction = await server.Client.PredictAsync(Request).ResponseAsync.WaitAsync(InferenceServer.Timeout);

        Assert.That(atPublish, Is.EqualTo(forwards));
        Assert.That(prediction.ModelVersion, Is.EqualTo(TestModel.Version));
    }

    [Test]
    public async Task Replace_WhileRequestsAreInFlight_SwitchesVersionWithoutAFailedRequest()
    {
        await using var server = await InferenceServer.StartAsync();
        var other = TestModel.TrainOther(seed: 7);
        var otherVersion = ModelVersion.Compute(other);
        using var stop = new CancellationTokenSource();
        var versionsSeen = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();

        async Task<int> Hammer()
        {
            var calls = 0;
            while (!stop.IsCancellationRequested)
            {
                var prediction = await server.Client.PredictAsync(Request).ResponseAsync;
                versionsSeen.AddOrUpdate(prediction.ModelVersion, 1, (_, n) => n + 1);
                calls++;
            }

            return calls;
        }

        async Task SeenAtLeast(string version, int count)
        {
            using var timeout = new CancellationTokenSource(InferenceServer.Timeout);
            while (versionsSeen.GetValueOrDefault(version) < count)
            {
                await Task.Delay(20, timeout.Token);
            }
        }

        var load = Enumerable.Range(0, 8).Select(_ => Task.Run(Hammer)).ToArray();
        await SeenAtLeast(TestModel.Version, 50);
        AtomicFile.WriteAllBytes(Path.Combine(server.ModelDir, "model.dat"), other);
        await SeenAtLeast(otherVersion, 50);
        await stop.CancelAsync();
        var calls = await Task.WhenAll(load).WaitAsync(InferenceServer.Timeout);

        Assert.That(calls.Sum(), Is.GreaterThan(0));
        Assert.That(versionsSeen.Keys, Is.EquivalentTo(new[] { TestModel.Version, otherVersion }));
    }

    [TestCase("truncated")]
    [TestCase("garbage")]
    [TestCase("pytorch-zip")]
    public async Task Replace_WithABadFile_RefusedAndThePreviousModelKeepsServing(string kind)
    {
        await using var server = await InferenceServer.StartAsync();
        byte[] bad = kind switch
        {
            "truncated" => TestModel.WeightsFile[..^100],
            "garbage" => System.Text.Encoding.UTF8.GetBytes("definitely not a state dict"),
            _ => [0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0],
        };

        AtomicFile.WriteAllBytes(Path.Combine(server.ModelDir, "model.dat"), bad);
        await server.ScrapeUntilAsync(m => m.Sum("mnist_model_loads_total", ("outcome", "failed")) >= 1);

        var prediction = await server.Client.PredictAsync(Request).ResponseAsync.WaitAsync(InferenceServer.Timeout);
        Assert.That(prediction.ModelVersion, Is.EqualTo(TestModel.Version));

        TestModel.WriteTo(server.ModelDir);
        var other = TestModel.TrainOther(seed: 3);
        AtomicFile.WriteAllBytes(Path.Combine(server.ModelDir, "model.dat"), other);
        await server.WaitForModelAsync(ModelVersion.Compute(other));
    }
}
