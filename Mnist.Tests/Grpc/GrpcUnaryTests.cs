using Microsoft.Extensions.DependencyInjection;
using Mnist.Grpc.Client;
using Mnist.Grpc.Server;
using Mnist.Grpc.V1;
using Mnist.Grpc.Wire;

namespace Mnist.Tests.Grpc;

public class GrpcUnaryTests
{
    private static readonly GrpcMethod<PredictRequest, Prediction> Predict = new(MnistReflection.Descriptor.Services[0], "Predict");
    private static readonly GrpcMethod<PredictTestSampleRequest, TestSamplePrediction> Sample = new(MnistReflection.Descriptor.Services[0], "PredictTestSample");
    private static readonly GrpcMethod<HealthRequest, HealthResponse> Health = new(MnistReflection.Descriptor.Services[0], "Health");

    private GrpcTestServer _server = null!;
    private TestMnistService _service = null!;

    [SetUp]
    public async Task StartServer()
    {
        _service = new TestMnistService();
        _server = await GrpcTestServer.StartAsync(services => services.AddGrpcService(_ => _service.CreateDefinition()));
    }

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task Unary_ValidRequest_ReturnsHandlerResponse()
    {
        var prediction = await _server.Client.UnaryAsync(Predict, TestMnistService.Pixels(784)).WaitAsync(GrpcTestServer.Timeout);

        Assert.That(prediction.Digit, Is.EqualTo(4));
        Assert.That(prediction.ModelVersion, Is.EqualTo("len=784"));
    }

    [Test]
    public async Task Unary_HandlerThrowsStatus_ClientGetsCodeAndPercentDecodedMessage()
    {
        var error = await CatchAsync(() => _server.Client.UnaryAsync(Predict, new PredictRequest()));

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(error.Detail, Is.EqualTo(TestMnistService.BadInputMessage));
    }

    [Test]
    public async Task Unary_UnboundMethod_Unimplemented()
    {
        var error = await CatchAsync(() => _server.Client.UnaryAsync(Health, new HealthRequest()));

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.Unimplemented));
        Assert.That(error.Detail, Is.EqualTo("Method is unimplemented."));
    }

    [Test]
    public async Task Unary_HandlerThrowsOtherException_UnknownWithoutItsText()
    {
        var error = await CatchAsync(() => _server.Client.UnaryAsync(Sample, new PredictTestSampleRequest { Id = -1 }));

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.Unknown));
        Assert.That(error.Detail, Does.Not.Contain("secret"));
    }

    [Test]
    public async Task Unary_ShortTimeoutOnSlowHandler_DeadlineExceededAndHandlerTokenFires()
    {
        // Warm the connection so the request surely reaches the server before the deadline.
        await _server.Client.UnaryAsync(Predict, TestMnistService.Pixels(1)).WaitAsync(GrpcTestServer.Timeout);
        var options = new GrpcCallOptions { Timeout = TimeSpan.FromMilliseconds(500) };

        var error = await CatchAsync(() => _server.Client.UnaryAsync(Sample, new PredictTestSampleRequest { Id = 30_000 }, options));

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.DeadlineExceeded));
        Assert.That(await _service.HandlerCancelled.Task.WaitAsync(GrpcTestServer.Timeout), Is.True);
    }

    internal static async Task<GrpcStatusException> CatchAsync(Func<Task> call)
    {
        try
        {
            await call().WaitAsync(GrpcTestServer.Timeout);
        }
        catch (GrpcStatusException exception)
        {
            return exception;
        }

        Assert.Fail("The call succeeded but an error status was expected.");
        throw new InvalidOperationException();
    }
}
