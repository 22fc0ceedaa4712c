using System.Diagnostics;
using System.Text.Json;
using Google.Protobuf;
using Mnist.V1;

namespace Mnist.Tests.Interop.OpenInference;

/// <summary>
/// inference.GRPCInferenceService driven by Debian's python3-grpcio (gRPC C-core) with stubs that python3-grpc-tools
/// generated from the project's grpc_predict_v2.proto: a client we did not write, reading raw outputs as tritonclient does.
/// </summary>
[Category("Interop")]
[NonParallelizable]
public class PythonGrpcioOpenInferenceTests : ServerFixture
{
    private const string Python = "/usr/bin/python3";
    private const int Count = 8;

    private string _stubs = null!;
    private JsonElement _result;

    [OneTimeSetUp]
    public async Task RunPythonClient()
    {
        Assert.That(File.Exists(Python), Is.True, "python3 is missing: run scripts/deps.sh test");
        _stubs = Directory.CreateTempSubdirectory("mnist-oip-pystubs-").FullName;
        ToolProcess.Run(Python, "-m", "grpc_tools.protoc", $"-I{Path.Combine(RepoPaths.Root, "protos")}",
            $"--python_out={_stubs}", $"--grpc_python_out={_stubs}", "inference/grpc_predict_v2.proto");

        var pixels = Path.Combine(_stubs, "pixels.bin");
        await File.WriteAllBytesAsync(pixels, TestModel.TestSet.Images[..(Count * 784)]);
        var script = Path.Combine(RepoPaths.Root, "Mnist.Tests", "Interop", "OpenInference", "oip_grpcio_client.py");
        _result = JsonDocument.Parse(ToolProcess.Run(Python, script, _stubs, $"127.0.0.1:{Server.GrpcAddress.Port}", pixels, $"{Count}")).RootElement;
    }

    [OneTimeTearDown]
    public void DeleteStubs() => Directory.Delete(_stubs, recursive: true);

    [Test]
    public void HealthAndMetadata_FromGrpcio_ReadyAndDescribeTheModel()
    {
        var model = _result.GetProperty("model");

        Assert.That(_result.GetProperty("live").GetBoolean(), Is.True);
        Assert.That(_result.GetProperty("ready").GetBoolean(), Is.True);
        Assert.That(_result.GetProperty("model_ready").GetBoolean(), Is.True);
        Assert.That(_result.GetProperty("server").GetProperty("name").GetString(), Is.Not.Empty);
        Assert.That(model.GetProperty("versions")[0].GetString(), Is.EqualTo(TestModel.Version));
        Assert.That(model.GetProperty("inputs").EnumerateArray().Select(t => t.GetString()),
            Is.EqualTo((string[])["input FP32 [-1, 1, 28, 28]", "image BYTES [-1]"]));
        Assert.That(model.GetProperty("outputs").EnumerateArray().Select(t => t.GetString()),
            Is.EqualTo((string[])["probabilities FP32 [-1, 10]", "digit INT64 [-1]"]));
    }

    [Test]
    public async Task ModelInfer_RawFp32FromGrpcio_RawOutputsAgreeWithMnistV1()
    {
        var infer = _result.GetProperty("raw_infer");
        var probabilities = infer.GetProperty("probabilities").EnumerateArray().Select(p => p.GetSingle()).ToArray();
        var digits = infer.GetProperty("digits").EnumerateArray().Select(d => d.GetInt64()).ToArray();

        Assert.That(infer.GetProperty("id").GetString(), Is.EqualTo("py-1"));
        Assert.That(infer.GetProperty("model_version").GetString(), Is.EqualTo(TestModel.Version));
        Assert.That(infer.GetProperty("probabilities_shape").EnumerateArray().Select(d => d.GetInt64()), Is.EqualTo((long[])[Count, 10]));
        Assert.That(infer.GetProperty("probabilities_datatype").GetString(), Is.EqualTo("FP32"));
        Assert.That(infer.GetProperty("digit_shape").EnumerateArray().Select(d => d.GetInt64()), Is.EqualTo((long[])[Count]));
        Assert.That(infer.GetProperty("digit_datatype").GetString(), Is.EqualTo("INT64"));
        for (var i = 0; i < Count; i++)
        {
            var v1 = await Server.Client.PredictAsync(new PredictRequest { Pixels = ByteString.CopyFrom(TestModel.TestSet.Image(i)) },
                deadline: DateTime.UtcNow.Add(InferenceServer.Timeout));
            Assert.That(digits[i], Is.EqualTo(v1.Digit));
            Assert.That(probabilities[(i * 10)..((i + 1) * 10)], Is.EqualTo(v1.Probabilities).Within(1e-5f));
        }
    }

    [Test]
    public void ModelInfer_TypedUint8FromGrpcio_TypedDigitOnlyMatchingTheRawCall()
    {
        var typed = _result.GetProperty("typed_infer");

        Assert.That(typed.GetProperty("raw_outputs").GetInt32(), Is.Zero);
        Assert.That(typed.GetProperty("outputs").EnumerateArray().Select(o => o.GetString()), Is.EqualTo((string[])["digit"]));
        Assert.That(typed.GetProperty("digits").EnumerateArray().Select(d => d.GetInt64()),
            Is.EqualTo(_result.GetProperty("raw_infer").GetProperty("digits").EnumerateArray().Select(d => d.GetInt64())));
    }

    [TestCase("short_raw", "INVALID_ARGUMENT: raw_input_contents of 'input' has 3136 bytes; expected 6272")]
    [TestCase("unknown_model", "NOT_FOUND: unknown model 'resnet'")]
    public void Errors_FromGrpcio_ArriveWithCodeAndMessage(string call, string expected)
    {
        Assert.That(_result.GetProperty(call).GetString(), Does.StartWith(expected));
    }
}
