using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mnist.Grpc.Client;
using Mnist.Grpc.Server;
using Mnist.Grpc.V1;
using Mnist.Grpc.Wire;

namespace Mnist.Tests.Grpc;

/// <summary>Call-level behaviour through our client: cancellation, concurrency, draining, limits, context, in-process invocation.</summary>
public class GrpcCallBehaviourTests
{
    private GrpcTestServer _server = null!;
    private TestMnistService _service = null!;
    private MnistClient _client = null!;

    [SetUp]
    public async Task StartServer()
    {
        _service = new TestMnistService();
        _server = await GrpcTestServer.StartAsync(services => services.AddGrpcService(_ => _service.CreateDefinition()));
        _client = new MnistClient(_server.Client);
    }

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task Call_ClientCancels_CancelledAndHandlerTokenFires()
    {
        using var cancel = new CancellationTokenSource();
        var call = _client.PredictTestSampleAsync(30_000, new GrpcCallOptions { CancellationToken = cancel.Token });
        await _service.LastContext.Task.WaitAsync(GrpcTestServer.Timeout);

        await cancel.CancelAsync();
        var error = await GrpcUnaryTests.CatchAsync(() => call);

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.Cancelled));
        Assert.That(await _service.HandlerCancelled.Task.WaitAsync(GrpcTestServer.Timeout), Is.True);
    }

    [Test]
    public async Task Call_HundredsConcurrentOnOneConnection_AllSucceed()
    {
        // One HTTP/2 connection: calls beyond Kestrel's 100 concurrent streams queue in HttpClient.
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler { EnableMultipleHttp2Connections = false });
        var client = new MnistClient(new GrpcClient(invoker, _server.Address));
        var calls = Enumerable.Range(1, 400).Select(i => client.PredictAsync(TestMnistService.Pixels(i))).ToList();

        var results = await Task.WhenAll(calls).WaitAsync(GrpcTestServer.Timeout);

        Assert.That(results.Select(r => r.ModelVersion), Is.EqualTo(Enumerable.Range(1, 400).Select(i => $"len={i}")));
    }

    [Test]
    public async Task Call_WhileDraining_Unavailable()
    {
        _server.Services.GetRequiredService<IGrpcServerLifecycle>().BeginDraining();

        var error = await GrpcUnaryTests.CatchAsync(() => _client.PredictAsync(TestMnistService.Pixels(1)));

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.Unavailable));
    }

    [Test]
    public async Task Call_MetadataAndPeer_VisibleToHandler()
    {
        var options = new GrpcCallOptions { Headers = new Dictionary<string, string> { ["x-user"] = "ada" }, Timeout = TimeSpan.FromSeconds(30) };

        await _client.PredictAsync(TestMnistService.Pixels(1), options).WaitAsync(GrpcTestServer.Timeout);
        var context = await _service.LastContext.Task.WaitAsync(GrpcTestServer.Timeout);

        Assert.That(context.User, Is.EqualTo("ada"));
        Assert.That(context.UserAgent, Does.StartWith("mnist-dotnet/"));
        Assert.That(context.Peer, Does.StartWith("ipv4:127.0.0.1:"));
        Assert.That(context.Deadline, Is.GreaterThan(DateTimeOffset.UtcNow.AddSeconds(20)));
        Assert.That(context.Method, Is.EqualTo("/mnist.v1.Mnist/Predict"));
    }

    [Test]
    public async Task UnaryMethods_InvokedWithoutHttp2_CallTheSameHandler()
    {
        var registry = _server.Services.GetRequiredService<GrpcServiceRegistry>();
        var predict = registry.UnaryMethods.Single(m => m.Descriptor.Name == "Predict");
        var context = new GrpcCallContext(predict.Path, new HeaderDictionary(), "rest", null, CancellationToken.None);

        var response = (Prediction)await predict.InvokeAsync(TestMnistService.Pixels(12), context).WaitAsync(GrpcTestServer.Timeout);

        Assert.That(response.ModelVersion, Is.EqualTo("len=12"));
        Assert.That(context.ResponseTrailers["x-pixel-count"].ToString(), Is.EqualTo("12"));
        Assert.That(registry.UnaryMethods.Select(m => m.Descriptor.Name), Is.EquivalentTo(Names("Predict", "PredictTestSample")));
    }

    [Test]
    public async Task Call_MessageAboveKestrelBodyLimitButWithinConfiguredLimit_Ok()
    {
        await using var server = await GrpcTestServer.StartAsync(
            services => services.AddGrpcService(_ => _service.CreateDefinition()),
            options => options.MaxReceiveMessageSize = 40_000_000);
        var request = new PredictRequest { Image = ByteString.CopyFrom(new byte[35_000_000]) };

        var prediction = await new MnistClient(server.Client).PredictAsync(request).WaitAsync(GrpcTestServer.Timeout);

        Assert.That(prediction.ModelVersion, Is.EqualTo("len=35000000"));
    }

    [Test]
    public void AddGrpcWire_ConfigurationSection_BindsAndValidates()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["MaxReceiveMessageSize"] = "1024" }).Build();
        var bad = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["MaxReceiveMessageSize"] = "0" }).Build();

        using var good = new ServiceCollection().AddGrpcWire(configuration).BuildServiceProvider();
        using var invalid = new ServiceCollection().AddGrpcWire(bad).BuildServiceProvider();

        Assert.That(good.GetRequiredService<IOptions<GrpcServerOptions>>().Value.MaxReceiveMessageSize, Is.EqualTo(1024));
        Assert.That(() => invalid.GetRequiredService<IOptions<GrpcServerOptions>>().Value, Throws.TypeOf<OptionsValidationException>());
    }

    [Test]
    public void Unary_UnknownMethodName_Throws() =>
        Assert.That(
            () => GrpcServiceDefinition.For(MnistReflection.Descriptor.Services[0]).Unary<PredictRequest, Prediction>("Guess", (r, c) => Task.FromResult(new Prediction())),
            Throws.ArgumentException.With.Message.Contains("no method 'Guess'"));

    [Test]
    public void Unary_WrongMessageTypes_Throws() =>
        Assert.That(
            () => GrpcServiceDefinition.For(MnistReflection.Descriptor.Services[0]).Unary<HealthRequest, Prediction>("Predict", (r, c) => Task.FromResult(new Prediction())),
            Throws.ArgumentException.With.Message.Contains("mnist.v1.PredictRequest"));

    [Test]
    public void ServerStreaming_OnUnaryMethod_Throws() =>
        Assert.That(
            () => GrpcServiceDefinition.For(MnistReflection.Descriptor.Services[0]).ServerStreaming<PredictRequest, Prediction>("Predict", (r, w, c) => Task.CompletedTask),
            Throws.ArgumentException.With.Message.Contains("is unary"));

    private static string[] Names(params string[] names) => names;
}
