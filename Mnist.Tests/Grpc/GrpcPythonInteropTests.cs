using System.Diagnostics;
using System.Text.Json;
using Grpc.Health.V1;
using Grpc.Reflection.V1;
using Microsoft.Extensions.DependencyInjection;
using Mnist.Grpc.Health;
using Mnist.Grpc.Reflection;
using Mnist.Grpc.Server;
using Mnist.Grpc.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Mnist.Tests.Grpc;

/// <summary>
/// An unmodified third-party client, Python grpcio (gRPC C core, Debian's python3-grpcio), against our
/// server: health, statuses, gzip, deadline, reflection.
/// </summary>
public class GrpcPythonInteropTests
{
    // Debian's interpreter, where apt installs python3-grpcio (scripts/deps.sh test).
    private const string Python = "/usr/bin/python3";

    private static JsonElement _results;

    [OneTimeSetUp]
    public static async Task RunPythonClient()
    {
        if (!File.Exists(Python))
        {
            Assert.Ignore($"{Python} is not installed.");
        }

        var service = new TestMnistService();
        await using var server = await GrpcTestServer.StartAsync(services => services
            .AddGrpcService(_ => service.CreateDefinition())
            .AddGrpcHealth()
            .AddGrpcReflection());
        server.Services.GetRequiredService<HealthStatusRegistry>().SetStatus("mnist.v1.Mnist", ServingStatus.Serving);

        var script = Path.Combine(RepoPaths.Root, "Mnist.Tests", "TestData", "grpc_interop.py");
        using var process = Process.Start(new ProcessStartInfo(Python, [script, $"127.0.0.1:{server.Address.Port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(process.ExitCode, Is.Zero, await error);
        _results = JsonDocument.Parse(await output).RootElement;
    }

    [Test]
    public void HealthCheck_KnownService_Serving() =>
        Assert.That(HealthCheckResponse.Parser.ParseFrom(Bytes("check")).Status, Is.EqualTo(ServingStatus.Serving));

    [Test]
    public void HealthCheck_GzipCompressedEmptyRequestForUnregisteredOverall_NotFound() =>
        // "" was never registered in this fixture, so the gzip request must have been decoded to reach NOT_FOUND.
        Assert.That(_results.GetProperty("check_empty_gzip").GetString(), Does.StartWith("NOT_FOUND"));

    [Test]
    public void HealthCheck_UnknownService_NotFound() =>
        Assert.That(_results.GetProperty("check_unknown").GetString(), Does.StartWith("NOT_FOUND"));

    [Test]
    public void Predict_Valid_DecodesResponse() =>
        Assert.That(Prediction.Parser.ParseFrom(Bytes("predict")).ModelVersion, Is.EqualTo("len=784"));

    [Test]
    public void Predict_GzipCompressedRequest_DecodedAndCustomTrailersReachTheClient()
    {
        var result = _results.GetProperty("predict_gzip");

        Assert.That(Prediction.Parser.ParseFrom(Convert.FromHexString(result[0].GetString()!)).ModelVersion, Is.EqualTo("len=784"));
        Assert.That(result[1].GetString(), Is.EqualTo("gzip"));
        Assert.That(result[2].GetString(), Is.EqualTo("784"));
    }

    [Test]
    public void Predict_InvalidInput_InvalidArgumentWithDecodedUnicodeMessage() =>
        Assert.That(_results.GetProperty("predict_empty").GetString(), Is.EqualTo("INVALID_ARGUMENT:" + TestMnistService.BadInputMessage));

    [Test]
    public void SlowCall_ShortTimeout_DeadlineExceeded() =>
        Assert.That(_results.GetProperty("deadline").GetString(), Does.StartWith("DEADLINE_EXCEEDED"));

    [Test]
    public void UnknownService_Unimplemented() =>
        Assert.That(_results.GetProperty("unimplemented").GetString(), Does.StartWith("UNIMPLEMENTED"));

    [Test]
    public void Reflection_SchemaOnly_DynamicPredictWorksLikeGrpcurl() =>
        Assert.That(_results.GetProperty("dynamic_predict").GetString(), Is.EqualTo("len=784"));

    [Test]
    public void Reflection_ListThenUnknownSymbol_BothAnsweredOnOneStream()
    {
        var responses = _results.GetProperty("reflection").EnumerateArray()
            .Select(r => ServerReflectionResponse.Parser.ParseFrom(Convert.FromHexString(r.GetString()!))).ToList();

        Assert.That(responses, Has.Count.EqualTo(2));
        Assert.That(responses[0].ListServicesResponse.Service.Select(s => s.Name), Does.Contain("grpc.health.v1.Health"));
        Assert.That(responses[1].ErrorResponse.ErrorCode, Is.EqualTo(5));
    }

    private static byte[] Bytes(string name) => Convert.FromHexString(_results.GetProperty(name).GetString()!);
}
