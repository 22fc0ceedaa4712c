using Google.Protobuf.Reflection;
using Grpc.Reflection.V1;
using Microsoft.Extensions.DependencyInjection;
using Mnist.Grpc.Client;
using Mnist.Grpc.Health;
using Mnist.Grpc.Reflection;
using Mnist.Grpc.Server;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace Mnist.Tests.Grpc;

public class GrpcReflectionTests
{
    private static readonly GrpcMethod<ServerReflectionRequest, ServerReflectionResponse> V1Info =
        new(ReflectionReflection.Descriptor.Services[0], "ServerReflectionInfo");

    private static readonly GrpcMethod<V1Alpha.ServerReflectionRequest, V1Alpha.ServerReflectionResponse> V1AlphaInfo =
        new(V1Alpha.ReflectionReflection.Descriptor.Services[0], "ServerReflectionInfo");

    private static readonly string[] AllServices =
        ["mnist.v1.Mnist", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"];

    private GrpcTestServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        var service = new TestMnistService();
        _server = await GrpcTestServer.StartAsync(services => services
            .AddGrpcService(_ => service.CreateDefinition())
            .AddGrpcHealth()
            .AddGrpcReflection());
    }

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [Test]
    public async Task ListServices_V1_EveryRegisteredService()
    {
        await using var call = _server.Client.DuplexStreaming(V1Info);

        var response = await AskAsync(call, new ServerReflectionRequest { Host = "h", ListServices = "*" });

        Assert.That(response.ListServicesResponse.Service.Select(s => s.Name), Is.EquivalentTo(AllServices));
        Assert.That(response.ValidHost, Is.EqualTo("h"));
        Assert.That(response.OriginalRequest.ListServices, Is.EqualTo("*"));
    }

    [Test]
    public async Task ListServices_V1Alpha_EveryRegisteredService()
    {
        await using var call = _server.Client.DuplexStreaming(V1AlphaInfo);
        call.Write(new V1Alpha.ServerReflectionRequest { ListServices = "*" });

        Assert.That(await call.MoveNextAsync().AsTask().WaitAsync(GrpcTestServer.Timeout), Is.True);
        Assert.That(call.Current.ListServicesResponse.Service.Select(s => s.Name), Is.EquivalentTo(AllServices));
    }

    [Test]
    public async Task FileContainingSymbol_Method_FileFirstThenTransitiveImportsOncePerStream()
    {
        await using var call = _server.Client.DuplexStreaming(V1Info);

        var first = await AskAsync(call, new ServerReflectionRequest { FileContainingSymbol = "mnist.v1.Mnist.Predict" });
        var second = await AskAsync(call, new ServerReflectionRequest { FileContainingSymbol = ".mnist.v1.PredictRequest" });

        Assert.That(FileNames(first), Is.EqualTo(Names("mnist/v1/mnist.proto", "google/api/annotations.proto", "google/api/http.proto", "google/protobuf/descriptor.proto")));
        Assert.That(FileNames(second), Is.EqualTo(Names("mnist/v1/mnist.proto")));
    }

    [TestCase("mnist.v1.Mnist", "mnist/v1/mnist.proto")]
    [TestCase("mnist.v1.HealthResponse.Status", "mnist/v1/mnist.proto")]
    [TestCase("mnist.v1.HealthResponse.SERVING", "mnist/v1/mnist.proto")]
    [TestCase("mnist.v1.PredictRequest.pixels", "mnist/v1/mnist.proto")]
    [TestCase("grpc.health.v1.Health.Watch", "grpc/health/v1/health.proto")]
    [TestCase("grpc.reflection.v1alpha.ServerReflection", "grpc/reflection/v1alpha/reflection.proto")]
    [TestCase("google.api.HttpRule", "google/api/http.proto")]
    [TestCase("google.api.http", "google/api/annotations.proto")]
    [TestCase("google.protobuf.MethodOptions", "google/protobuf/descriptor.proto")]
    public async Task FileContainingSymbol_AnyKindOfSymbol_DeclaringFile(string symbol, string file)
    {
        await using var call = _server.Client.DuplexStreaming(V1Info);

        var response = await AskAsync(call, new ServerReflectionRequest { FileContainingSymbol = symbol });

        Assert.That(FileNames(response)[0], Is.EqualTo(file));
    }

    [Test]
    public async Task FileContainingSymbol_Unknown_NotFoundAndStreamStillUsable()
    {
        await using var call = _server.Client.DuplexStreaming(V1Info);

        var missing = await AskAsync(call, new ServerReflectionRequest { FileContainingSymbol = "nope.Nope" });
        var next = await AskAsync(call, new ServerReflectionRequest { FileByFilename = "google/api/http.proto" });

        Assert.That(missing.ErrorResponse.ErrorCode, Is.EqualTo(5));
        Assert.That(FileNames(next), Is.EqualTo(Names("google/api/http.proto")));
    }

    [Test]
    public async Task FileByFilename_Unknown_NotFound()
    {
        await using var call = _server.Client.DuplexStreaming(V1Info);

        var response = await AskAsync(call, new ServerReflectionRequest { FileByFilename = "nope.proto" });

        Assert.That(response.ErrorResponse.ErrorCode, Is.EqualTo(5));
    }

    [Test]
    public async Task AllExtensionNumbersOfType_MethodOptions_HasGoogleApiHttp()
    {
        await using var call = _server.Client.DuplexStreaming(V1Info);

        var known = await AskAsync(call, new ServerReflectionRequest { AllExtensionNumbersOfType = "google.protobuf.MethodOptions" });
        var plain = await AskAsync(call, new ServerReflectionRequest { AllExtensionNumbersOfType = "mnist.v1.Prediction" });
        var unknown = await AskAsync(call, new ServerReflectionRequest { AllExtensionNumbersOfType = "nope.Nope" });

        Assert.That(known.AllExtensionNumbersResponse.ExtensionNumber, Is.EqualTo(Numbers(72295728)));
        Assert.That(known.AllExtensionNumbersResponse.BaseTypeName, Is.EqualTo("google.protobuf.MethodOptions"));
        Assert.That(plain.AllExtensionNumbersResponse.ExtensionNumber, Is.Empty);
        Assert.That(unknown.ErrorResponse.ErrorCode, Is.EqualTo(5));
    }

    [Test]
    public async Task FileContainingExtension_GoogleApiHttp_AnnotationsFile()
    {
        await using var call = _server.Client.DuplexStreaming(V1Info);
        var request = new ServerReflectionRequest
        {
            FileContainingExtension = new ExtensionRequest { ContainingType = "google.protobuf.MethodOptions", ExtensionNumber = 72295728 },
        };

        var response = await AskAsync(call, request);

        Assert.That(FileNames(response)[0], Is.EqualTo("google/api/annotations.proto"));
    }

    [Test]
    public async Task FileDescriptors_Returned_RebuildIntoUsableDescriptors()
    {
        await using var call = _server.Client.DuplexStreaming(V1Info);

        var response = await AskAsync(call, new ServerReflectionRequest { FileContainingSymbol = "mnist.v1.Mnist" });
        var files = FileDescriptor.BuildFromByteStrings(response.FileDescriptorResponse.FileDescriptorProto.Reverse());

        var mnist = files.Single(f => f.Name == "mnist/v1/mnist.proto");
        Assert.That(mnist.Services[0].Methods.Select(m => m.Name), Is.EqualTo(Names("Predict", "PredictTestSample", "Health")));
    }

    private static async Task<ServerReflectionResponse> AskAsync(
        GrpcDuplexCall<ServerReflectionRequest, ServerReflectionResponse> call, ServerReflectionRequest request)
    {
        // The reply must come before the client half-closes.
        call.Write(request);
        Assert.That(await call.MoveNextAsync().AsTask().WaitAsync(GrpcTestServer.Timeout), Is.True);
        return call.Current;
    }

    private static List<string> FileNames(ServerReflectionResponse response) =>
        [.. response.FileDescriptorResponse.FileDescriptorProto.Select(bytes => FileDescriptorProto.Parser.ParseFrom(bytes).Name)];

    private static string[] Names(params string[] names) => names;

    private static int[] Numbers(params int[] numbers) => numbers;
}
