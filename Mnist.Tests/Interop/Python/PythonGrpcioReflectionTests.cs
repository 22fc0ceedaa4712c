using System.Diagnostics;
using System.Text.Json;
using Grpc.Health.V1;
using Grpc.Reflection.V1;
using Mnist.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Mnist.Tests.Interop.Python;

/// <summary>
/// An unmodified third-party client, Python grpcio (gRPC C core, Debian's python3-grpcio), against the real server
/// with no generated code at all: hand-encoded health and Predict calls, gzip, and Predict through a schema learnt by
/// reflection alone, as grpcurl does.
/// </summary>
[NonParallelizable]
[Category("Interop")]
public class PythonGrpcioReflectionTests
{
    // Debian's interpreter, where apt installs python3-grpcio (scripts/deps.sh test).
    private const string Python = "/usr/bin/python3";

    private static readonly string[] ListedServices = ["mnist.v1.Mnist", "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection"];

    private static JsonElement _results;

    [OneTimeSetUp]
    public static async Task RunPythonClient()
    {
        Assert.That(File.Exists(Python), Is.True, "python3 is missing: run scripts/deps.sh test");
        await using var server = await InferenceServer.StartAsync();
        var script = Path.Combine(RepoPaths.Root, "Mnist.Tests", "Interop", "Python", "grpcio_reflection_client.py");
        using var process = Process.Start(new ProcessStartInfo(Python, [script, $"127.0.0.1:{server.GrpcAddress.Port}"])
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
    public void HealthCheck_MnistService_Serving() =>
        Assert.That(HealthCheckResponse.Parser.ParseFrom(Bytes("check")).Status, Is.EqualTo(ServingStatus.Serving));

    [Test]
    public void HealthCheck_GzipCompressedEmptyRequest_OverallServing() =>
        Assert.That(HealthCheckResponse.Parser.ParseFrom(Bytes("check_empty_gzip")).Status, Is.EqualTo(ServingStatus.Serving));

    [Test]
    public void HealthCheck_UnknownService_NotFound() =>
        Assert.That(_results.GetProperty("check_unknown").GetString(), Does.StartWith("NOT_FOUND"));

    [Test]
    public void Predict_Valid_DecodesResponse() =>
        Assert.That(Prediction.Parser.ParseFrom(Bytes("predict")).ModelVersion, Is.EqualTo(TestModel.Version));

    [Test]
    public void Predict_GzipCompressedRequest_Decoded() =>
        Assert.That(Prediction.Parser.ParseFrom(Bytes("predict_gzip")).ModelVersion, Is.EqualTo(TestModel.Version));

    [Test]
    public void Predict_NoInput_InvalidArgumentWithTheServersMessage() =>
        Assert.That(_results.GetProperty("predict_empty").GetString(), Does.StartWith("INVALID_ARGUMENT:the request has no input"));

    [Test]
    public void UnknownService_Unimplemented() =>
        Assert.That(_results.GetProperty("unimplemented").GetString(), Does.StartWith("UNIMPLEMENTED"));

    [Test]
    public void Reflection_SchemaOnly_DynamicPredictWorksLikeGrpcurl() =>
        Assert.That(_results.GetProperty("dynamic_predict").GetString(), Is.EqualTo(TestModel.Version));

    [Test]
    public void Reflection_ListThenUnknownSymbol_BothAnsweredOnOneStream()
    {
        var responses = _results.GetProperty("reflection").EnumerateArray()
            .Select(r => ServerReflectionResponse.Parser.ParseFrom(Convert.FromHexString(r.GetString()!))).ToList();

        Assert.That(responses, Has.Count.EqualTo(2));
        Assert.That(responses[0].ListServicesResponse.Service.Select(s => s.Name),
            Is.SupersetOf(ListedServices));
        Assert.That(responses[1].ErrorResponse.ErrorCode, Is.EqualTo(5));
    }

    private static byte[] Bytes(string name) => Convert.FromHexString(_results.GetProperty(name).GetString()!);
}
