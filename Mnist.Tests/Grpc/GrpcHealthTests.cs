using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Mnist.Grpc.Client;
using Mnist.Grpc.Health;
using Mnist.Grpc.Wire;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Mnist.Tests.Grpc;

public class GrpcHealthTests
{
    private GrpcTestServer _server = null!;
    private HealthStatusRegistry _registry = null!;
    private HealthClient _client = null!;

    [SetUp]
    public async Task StartServer()
    {
        _server = await GrpcTestServer.StartAsync(services => services.AddGrpcHealth());
        _registry = _server.Services.GetRequiredService<HealthStatusRegistry>();
        _registry.SetStatus("", ServingStatus.NotServing);
        _registry.SetStatus("mnist.v1.Mnist", ServingStatus.Serving);
        _client = new HealthClient(_server.Client);
    }

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [TestCase("", ServingStatus.NotServing)]
    [TestCase("mnist.v1.Mnist", ServingStatus.Serving)]
    public async Task Check_KnownService_ReturnsItsStatus(string service, ServingStatus expected)
    {
        var response = await _client.HealthCheckAsync(service).WaitAsync(GrpcTestServer.Timeout);

        Assert.That(response.Status, Is.EqualTo(expected));
    }

    [Test]
    public async Task Check_UnknownService_NotFound()
    {
        var error = await GrpcUnaryTests.CatchAsync(() => _client.HealthCheckAsync("nope"));

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.NotFound));
    }

    [Test]
    public async Task Check_EmptyRequestFrame_Works()
    {
        using var request = _server.CreateRequest("/grpc.health.v1.Health/Check", new ByteArrayContent([0, 0, 0, 0, 0]));

        var response = await RawGrpc.SendAsync(_server.Http, request);

        Assert.That(response.GrpcStatus, Is.EqualTo("0"));
        Assert.That(HealthCheckResponse.Parser.ParseFrom(response.Body.AsSpan(5)).Status, Is.EqualTo(ServingStatus.NotServing));
    }

    [Test]
    public async Task List_Registered_ReturnsAll()
    {
        var response = await _client.ListAsync().WaitAsync(GrpcTestServer.Timeout);

        Assert.That(response.Statuses.Keys, Is.EquivalentTo(Names("", "mnist.v1.Mnist")));
    }

    [Test]
    public async Task Watch_StatusChanges_CurrentThenEachChangePushed()
    {
        using var cancel = new CancellationTokenSource(GrpcTestServer.Timeout);
        await using var watch = _client.WatchAsync("", cancel.Token).GetAsyncEnumerator(cancel.Token);

        Assert.That(await watch.MoveNextAsync(), Is.True);
        Assert.That(watch.Current.Status, Is.EqualTo(ServingStatus.NotServing));

        _registry.SetStatus("", ServingStatus.Serving);
        Assert.That(await watch.MoveNextAsync(), Is.True);
        Assert.That(watch.Current.Status, Is.EqualTo(ServingStatus.Serving));

        _registry.ClearStatus("");
        Assert.That(await watch.MoveNextAsync(), Is.True);
        Assert.That(watch.Current.Status, Is.EqualTo(ServingStatus.ServiceUnknown));
    }

    [Test]
    public async Task Watch_UnknownService_ServiceUnknownThenRealStatusWhenRegistered()
    {
        using var cancel = new CancellationTokenSource(GrpcTestServer.Timeout);
        await using var watch = _client.WatchAsync("later", cancel.Token).GetAsyncEnumerator(cancel.Token);

        Assert.That(await watch.MoveNextAsync(), Is.True);
        Assert.That(watch.Current.Status, Is.EqualTo(ServingStatus.ServiceUnknown));

        _registry.SetStatus("later", ServingStatus.Serving);
        Assert.That(await watch.MoveNextAsync(), Is.True);
        Assert.That(watch.Current.Status, Is.EqualTo(ServingStatus.Serving));
    }

    [Test]
    public async Task Watch_GrpcTimeoutAfterFirstMessage_DeadlineExceededInTrailers()
    {
        using var request = _server.CreateRequest("/grpc.health.v1.Health/Watch", new ByteArrayContent(RawGrpc.Frame([])));
        request.Headers.TryAddWithoutValidation("grpc-timeout", "300m");

        var response = await RawGrpc.SendAsync(_server.Http, request);

        Assert.That(response.TrailersOnly, Is.False);
        Assert.That(response.GrpcStatus, Is.EqualTo("4"));
        Assert.That(HealthCheckResponse.Parser.ParseFrom(response.Body.AsSpan(5)).Status, Is.EqualTo(ServingStatus.NotServing));
        Assert.That(() => _registry.SubscriberCount, Is.Zero.After(5000, 10));
    }

    [Test]
    public async Task Watch_ClientCancels_ServerSideWatchEnds()
    {
        using var cancel = new CancellationTokenSource(GrpcTestServer.Timeout);
        var watch = _client.WatchAsync("", cancel.Token).GetAsyncEnumerator(cancel.Token);
        Assert.That(await watch.MoveNextAsync(), Is.True);
        Assert.That(_registry.SubscriberCount, Is.EqualTo(1));

        await cancel.CancelAsync();
        await watch.DisposeAsync();

        Assert.That(() => _registry.SubscriberCount, Is.Zero.After(5000, 10));
    }

    private static string[] Names(params string[] names) => names;
}
