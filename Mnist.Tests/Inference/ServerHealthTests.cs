using Grpc.Health.V1;
using Mnist.Grpc.Client;
using Mnist.Grpc.Wire;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Mnist.Tests.Inference;

/// <summary>grpc.health.v1 on the real server, as the kubelet's probes see it through the model's life.</summary>
public class ServerHealthTests
{
    [TestCase("")]
    [TestCase("mnist.v1.Mnist")]
    public async Task Check_ModelLoaded_Serving(string service)
    {
        await using var server = await InferenceServer.StartAsync();

        var response = await new HealthClient(server.Client).HealthCheckAsync(service).WaitAsync(InferenceServer.Timeout);

        Assert.That(response.Status, Is.EqualTo(ServingStatus.Serving));
    }

    [Test]
    public async Task Check_NoModel_NotServing_UnknownServiceNotFound()
    {
        await using var server = await InferenceServer.StartAsync(withModel: false);
        var health = new HealthClient(server.Client);

        var overall = await health.HealthCheckAsync("").WaitAsync(InferenceServer.Timeout);
        var error = await MnistServiceFunctionalTests.CatchAsync(() => health.HealthCheckAsync("nope"));

        Assert.That(overall.Status, Is.EqualTo(ServingStatus.NotServing));
        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.NotFound));
    }

    [Test]
    public async Task Watch_ModelArrivesThenServerStops_StreamsEveryChange()
    {
        await using var server = await InferenceServer.StartAsync(withModel: false);
        using var cancel = new CancellationTokenSource(InferenceServer.Timeout);
        await using var updates = new HealthClient(server.Client).WatchAsync("mnist.v1.Mnist", cancel.Token).GetAsyncEnumerator(cancel.Token);

        Assert.That(await updates.MoveNextAsync(), Is.True);
        Assert.That(updates.Current.Status, Is.EqualTo(ServingStatus.NotServing));

        TestModel.WriteTo(server.ModelDir);
        Assert.That(await updates.MoveNextAsync(), Is.True);
        Assert.That(updates.Current.Status, Is.EqualTo(ServingStatus.Serving));

        var stopping = server.StopAsync();
        Assert.That(await updates.MoveNextAsync(), Is.True);
        Assert.That(updates.Current.Status, Is.EqualTo(ServingStatus.NotServing));
        await stopping;
    }
}
