using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Inference;
using Mnist.Inference.Grpc.Batching;
using Mnist.V1;
using Microsoft.Extensions.DependencyInjection;

namespace Mnist.Tests.Functional.OpenInference;

/// <summary>inference.GRPCInferenceService on the real server, over h2c, beside mnist.v1 and with the same model.</summary>
[Category("Functional")]
public class OpenInferenceGrpcFunctionalTests : ServerFixture
{
    private static readonly int[] s_batchSizes = [256, 64, 1, 100, 8, 3];
    private static readonly string[] s_testFiles = ["digit-2.png", "digit-7.png"];

    private GRPCInferenceService.GRPCInferenceServiceClient _client = null!;

    [OneTimeSetUp]
    public void CreateClient() => _client = new GRPCInferenceService.GRPCInferenceServiceClient(Server.Channel);

    [Test]
    public async Task ModelInfer_AllTenThousandTestImagesInBatches_SameDigitsAndProbabilitiesAsMnistV1()
    {
        var testSet = TestModel.TestSet;
        var n = testSet.Labels.Length;
        Assert.That(n, Is.EqualTo(10_000));
        var v1 = await PredictAllWithMnistV1Async(n);

        var mismatched = 0;
        var largest = 0f;
        // Batches of every size class (1 to 256), raw and typed, so every path of the protocol is compared.
        for (int first = 0, call = 0; first < n; call++)
        {
            var size = Math.Min(s_batchSizes[call % s_batchSizes.Length], n - first);
            var request = call % 2 == 0 ? OpenInferenceRequests.RawFp32(first, size) : OpenInferenceRequests.TypedUint8(first, size);
            var response = await _client.ModelInferAsync(request, deadline: DateTime.UtcNow.Add(InferenceServer.Timeout));
            var probabilities = OpenInferenceRequests.Probabilities(response);
            var digits = OpenInferenceRequests.Digits(response);
            Assert.That(digits, Has.Length.EqualTo(size));
            Assert.That(probabilities, Has.Length.EqualTo(size * 10));
            for (var i = 0; i < size; i++)
            {
                var theirs = v1[first + i];
                mismatched += digits[i] == theirs.Digit ? 0 : 1;
                for (var k = 0; k < 10; k++)
                {
                    largest = Math.Max(largest, Math.Abs(probabilities[i * 10 + k] - theirs.Probabilities[k]));
                }
            }

            first += size;
        }

        Assert.That(mismatched, Is.Zero);
        Assert.That(largest, Is.LessThanOrEqualTo(1e-5f));
    }

    [Test]
    public async Task ModelInfer_RawInput_AnswersRawOutputsWithShapesAndVersion()
    {
        var request = OpenInferenceRequests.RawFp32(0, 8);
        request.Id = "batch-42";

        var response = await _client.ModelInferAsync(request, deadline: Deadline());

        Assert.That(response.ModelName, Is.EqualTo("mnist"));
        Assert.That(response.ModelVersion, Is.EqualTo(TestModel.Version));
        Assert.That(response.Id, Is.EqualTo("batch-42"));
        Assert.That(response.Outputs.Select(o => $"{o.Name} {o.Datatype} [{string.Join(',', o.Shape)}] {o.Contents is null}"),
            Is.EqualTo((string[])["probabilities FP32 [8,10] True", "digit INT64 [8] True"]));
        Assert.That(response.RawOutputContents.Select(r => r.Length), Is.EqualTo((int[])[8 * 10 * 4, 8 * 8]));
        Assert.That(OpenInferenceRequests.Digits(response), Has.All.InRange(0L, 9L));
    }

    [Test]
    public async Task ModelInfer_TypedInputAskingForDigitOnly_AnswersTypedDigitOnly()
    {
        var request = OpenInferenceRequests.TypedUint8(0, 2);
        request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "digit" });

        var response = await _client.ModelInferAsync(request, deadline: Deadline());

        Assert.That(response.RawOutputContents, Is.Empty);
        Assert.That(response.Outputs.Select(o => o.Name), Is.EqualTo((string[])["digit"]));
        Assert.That(response.Outputs[0].Contents.Int64Contents, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task ModelInfer_EncodedImages_SameAsMnistV1Image()
    {
        var files = s_testFiles.Select(f => File.ReadAllBytes(Path.Combine(RepoPaths.Root, "Mnist.Tests", "TestData", f))).ToArray();
        var request = OpenInferenceRequests.WithInput("image", "BYTES", files.Length);
        request.Inputs[0].Contents = new InferTensorContents();
        request.Inputs[0].Contents.BytesContents.Add(files.Select(ByteString.CopyFrom));

        var response = await _client.ModelInferAsync(request, deadline: Deadline());

        var probabilities = OpenInferenceRequests.Probabilities(response);
        for (var i = 0; i < files.Length; i++)
        {
            var v1 = await Server.Client.PredictAsync(new PredictRequest { Image = ByteString.CopyFrom(files[i]) }, deadline: Deadline());
            Assert.That(OpenInferenceRequests.Digits(response)[i], Is.EqualTo(v1.Digit));
            Assert.That(probabilities[(i * 10)..((i + 1) * 10)], Is.EqualTo(v1.Probabilities).Within(1e-5f));
        }
    }

    [Test]
    public async Task ModelInfer_BrokenImage_InvalidArgumentNamingTheImage()
    {
        var request = OpenInferenceRequests.WithInput("image", "BYTES", 1);
        request.Inputs[0].Contents = new InferTensorContents();
        request.Inputs[0].Contents.BytesContents.Add(ByteString.CopyFromUtf8("not an image"));

        var e = Assert.ThrowsAsync<RpcException>(() => _client.ModelInferAsync(request, deadline: Deadline()).ResponseAsync)!;

        Assert.That(e.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(e.Status.Detail, Does.StartWith("image 0: "));
    }

    [Test]
    public async Task ModelInfer_OneRequestOf64_RunsInForwardsOfAtMostTheBatchSize()
    {
        await using var server = await InferenceServer.StartAsync(settings: [("BATCH_MAX_SIZE", "4"), ("BATCH_WORKERS", "1")]);
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(server.Channel);
        var batcher = server.Services.GetRequiredService<PredictionBatcher>();
        var before = batcher.BatchesRun;

        var response = await client.ModelInferAsync(OpenInferenceRequests.RawFp32(0, 64), deadline: Deadline());

        Assert.That(OpenInferenceRequests.Digits(response), Has.Length.EqualTo(64));
        Assert.That(batcher.BatchesRun - before, Is.GreaterThanOrEqualTo(16));
    }

    [TestCase("other", "", StatusCode.NotFound, "unknown model 'other'; this server serves 'mnist'")]
    [TestCase("mnist", "v0", StatusCode.NotFound, "model 'mnist' has no version 'v0'")]
    public void ModelInfer_UnknownModelOrVersion_NotFound(string name, string version, StatusCode code, string detail)
    {
        var request = OpenInferenceRequests.TypedUint8(0, 1);
        request.ModelName = name;
        request.ModelVersion = version;

        var e = Assert.ThrowsAsync<RpcException>(() => _client.ModelInferAsync(request, deadline: Deadline()).ResponseAsync)!;

        Assert.That(e.StatusCode, Is.EqualTo(code));
        Assert.That(e.Status.Detail, Does.StartWith(detail));
    }

    [Test]
    public async Task ModelInfer_ServedVersionNamed_Answers()
    {
        var request = OpenInferenceRequests.TypedUint8(0, 1);
        request.ModelVersion = TestModel.Version;

        var response = await _client.ModelInferAsync(request, deadline: Deadline());

        Assert.That(response.ModelVersion, Is.EqualTo(TestModel.Version));
    }

    [Test]
    public void ModelInfer_DeadlineShorterThanTheBatch_DeadlineExceeded()
    {
        var request = OpenInferenceRequests.RawFp32(0, 1024);

        var e = Assert.ThrowsAsync<RpcException>(() => _client.ModelInferAsync(request, deadline: DateTime.UtcNow.AddMilliseconds(1)).ResponseAsync)!;

        Assert.That(e.StatusCode, Is.EqualTo(StatusCode.DeadlineExceeded));
    }

    [Test]
    public async Task HealthAndMetadata_WithModel_ReadyAsGrpcHealthAndDescribeTheModel()
    {
        var health = await Server.Health.CheckAsync(new HealthCheckRequest(), deadline: Deadline());
        var live = await _client.ServerLiveAsync(new ServerLiveRequest(), deadline: Deadline());
        var ready = await _client.ServerReadyAsync(new ServerReadyRequest(), deadline: Deadline());
        var modelReady = await _client.ModelReadyAsync(new ModelReadyRequest { Name = "mnist" }, deadline: Deadline());
        var metadata = await _client.ModelMetadataAsync(new ModelMetadataRequest { Name = "mnist" }, deadline: Deadline());
        var server = await _client.ServerMetadataAsync(new ServerMetadataRequest(), deadline: Deadline());

        Assert.That(health.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.Serving));
        Assert.That((live.Live, ready.Ready, modelReady.Ready), Is.EqualTo((true, true, true)));
        Assert.That(server.Name, Is.Not.Empty);
        Assert.That(metadata.Name, Is.EqualTo("mnist"));
        Assert.That(metadata.Versions, Is.EqualTo((string[])[TestModel.Version]));
        Assert.That(metadata.Platform, Is.EqualTo("torchsharp_libtorch"));
        Assert.That(metadata.Inputs.Select(t => $"{t.Name} {t.Datatype} [{string.Join(',', t.Shape)}]"),
            Is.EqualTo((string[])["input FP32 [-1,1,28,28]", "image BYTES [-1]"]));
        Assert.That(metadata.Outputs.Select(t => $"{t.Name} {t.Datatype} [{string.Join(',', t.Shape)}]"),
            Is.EqualTo((string[])["probabilities FP32 [-1,10]", "digit INT64 [-1]"]));
    }

    [Test]
    public async Task Readiness_WithoutModel_NotReadyAsGrpcHealthAndInferUnavailable()
    {
        await using var server = await InferenceServer.StartAsync(withModel: false);
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(server.Channel);

        var health = await server.Health.CheckAsync(new HealthCheckRequest(), deadline: Deadline());
        var ready = await client.ServerReadyAsync(new ServerReadyRequest(), deadline: Deadline());
        var modelReady = await client.ModelReadyAsync(new ModelReadyRequest { Name = "mnist" }, deadline: Deadline());
        var e = Assert.ThrowsAsync<RpcException>(() => client.ModelInferAsync(OpenInferenceRequests.TypedUint8(0, 1), deadline: Deadline()).ResponseAsync)!;

        Assert.That(health.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.NotServing));
        Assert.That((ready.Ready, modelReady.Ready), Is.EqualTo((false, false)));
        Assert.That(e.StatusCode, Is.EqualTo(StatusCode.Unavailable));
    }

    [Test]
    public async Task Readiness_WhileDraining_NotReadyAsGrpcHealthAndInferUnavailable()
    {
        await using var server = await InferenceServer.StartAsync();
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(server.Channel);
        await client.ServerReadyAsync(new ServerReadyRequest(), deadline: Deadline());

        server.Services.GetRequiredService<Mnist.Inference.Grpc.Draining.ServerDrain>().Begin();
        var health = await server.Health.CheckAsync(new HealthCheckRequest(), deadline: Deadline());
        var ready = await client.ServerReadyAsync(new ServerReadyRequest(), deadline: Deadline());
        var modelReady = await client.ModelReadyAsync(new ModelReadyRequest { Name = "mnist" }, deadline: Deadline());
        var e = Assert.ThrowsAsync<RpcException>(() => client.ModelInferAsync(OpenInferenceRequests.TypedUint8(0, 1), deadline: Deadline()).ResponseAsync)!;
        using var restReady = await server.Http.GetAsync("/v2/health/ready").WaitAsync(InferenceServer.Timeout);

        Assert.That(health.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.NotServing));
        Assert.That((ready.Ready, modelReady.Ready), Is.EqualTo((false, false)));
        Assert.That(e.StatusCode, Is.EqualTo(StatusCode.Unavailable));
        Assert.That((int)restReady.StatusCode, Is.EqualTo(503));
    }

    private static DateTime Deadline() => DateTime.UtcNow.Add(InferenceServer.Timeout);

    // mnist.v1 Predict of every test image, 16 calls in flight.
    private async Task<Prediction[]> PredictAllWithMnistV1Async(int n)
    {
        var results = new Prediction[n];
        await Parallel.ForAsync(0, n, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var request = new PredictRequest { Pixels = ByteString.CopyFrom(TestModel.TestSet.Image(i)) };
            results[i] = await Server.Client.PredictAsync(request, deadline: Deadline(), cancellationToken: ct);
        });
        return results;
    }
}
