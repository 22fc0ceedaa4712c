using Grpc.Health.V1;
using Grpc.Core;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Mnist.Tests.Functional.Inference;

/// <summary>grpc.health.v1 on the real server, as the kubelet's probes see it through the model's life.</summary>
[Category("Functional")]
public class ServerHealthTests
{
    [TestCase("")]
    [TestCase("mnist.v1.Mnist")]
    public async Task Check_ModelLoaded_Serving(string service)
    {
        await using var server = await InferenceServer.StartAsync();

        var response = await server.Health.CheckAsync(new HealthCheckRequest { Service = service }).ResponseAsync.WaitAsync(InferenceServer.Timeout);

        Assert.That(response.Status, Is.EqualTo(ServingStatus.Serving));
    }

    [Test]
    public async Task Check_NoModel_NotServing_UnknownServiceNotFound()
    {
        await using var server = await InferenceServer.StartAsync(withModel: false);
        var health = server.Health;

        var overall = await health.CheckAsync(new HealthCheckRequest()).ResponseAsync.WaitAsync(InferenceServer.Timeout);
        var error = await MnistServiceFunctionalTests.CatchAsync(() => health.CheckAsync(new HealthCheckRequest { Service = "nope" }).ResponseAsync);

        Assert.That(overall.Status, Is.EqualTo(ServingStatus.NotServing));
        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.NotFound));
    }

    [Test]
    public async Task Watch_ModelArrivesThenServerStops_StreamsEveryChange()
    {
        await using var server = await InferenceServer.StartAsync(withModel: false);
        using var cancel = new CancellationTokenSource(InferenceServer.Timeout);
        using var watch = server.Health.Watch(new HealthCheckRequest { Service = "mnist.v1.Mnist" }, cancellationToken: cancel.Token);
        var updates = watch.ResponseStream;

        Assert.That(await updates.MoveNext(cancel.Token), Is.True);
        Assert.That(updates.Current.Status, Is.EqualTo(ServingStatus.NotServing));

        TestModel.WriteTo(server.ModelDir);
        Assert.That(await updates.MoveNext(cancel.Token), Is.True);
        Assert.That(updates.Current.Status, Is.EqualTo(ServingStatus.Serving));

        var stopping = server.StopAsync();
        Assert.That(await updates.MoveNext(cancel.Token), Is.True);
        Assert.That(updates.Current.Status, Is.EqualTo(ServingStatus.NotServing));
        await stopping;
    }
}
