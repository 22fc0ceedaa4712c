using System.Net;
using System.Text.Json;
using Grpc.Core;
using Mnist.Model.Weights;
using Mnist.V1;

namespace Mnist.Tests.Functional.ModelCards;

/// <summary>GetModel over gRPC and REST, and the plots route, against the real server with the trainer's card on its volume.</summary>
[Category("Functional")]
public class ModelCardFunctionalTests : ServerFixture
{
    private static readonly string[] PlotNames = ["training-curve.png", "confusion-matrix.png"];
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private JsonElement _modelJson;

    [OneTimeSetUp]
    public async Task ReadModelJson() =>
        _modelJson = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(Server.ModelDir, "model.json"))).RootElement.Clone();

    [Test]
    public async Task GetModel_Grpc_ReturnsWhatModelJsonSays()
    {
        var card = await Server.Client.GetModelAsync(new GetModelRequest()).ResponseAsync.WaitAsync(InferenceServer.Timeout);

        Assert.Multiple(() =>
        {
            Assert.That(card.ModelVersion, Is.EqualTo(TestModel.Version).And.EqualTo(_modelJson.GetProperty("model_version").GetString()));
            Assert.That(card.TestAccuracy, Is.EqualTo(_modelJson.GetProperty("test_accuracy").GetDouble()));
            Assert.That(card.TestLoss, Is.EqualTo(_modelJson.GetProperty("test_loss").GetDouble()));
            Assert.That(card.TestImages, Is.EqualTo(10_000));
            Assert.That(card.TrainingImages, Is.EqualTo(TestModel.TrainingImages));
            Assert.That(card.CreatedTime.ToDateTimeOffset(), Is.EqualTo(_modelJson.GetProperty("created_utc").GetDateTimeOffset()));
            Assert.That(card.HyperParameters.Epochs, Is.EqualTo(_modelJson.GetProperty("epochs").GetInt32()));
            Assert.That(card.HyperParameters.BatchSize, Is.EqualTo(64));
            Assert.That(card.HyperParameters.LearningRate, Is.EqualTo(_modelJson.GetProperty("learning_rate").GetSingle()));
            Assert.That(card.HyperParameters.Gamma, Is.EqualTo(_modelJson.GetProperty("gamma").GetSingle()));
            Assert.That(card.HyperParameters.Seed, Is.EqualTo(1));
            Assert.That(card.ClassAccuracy, Is.EqualTo(_modelJson.GetProperty("test_class_accuracy").EnumerateArray().Select(a => a.GetDouble())));
            Assert.That(card.ConfusionMatrix.Select(row => row.Counts.ToArray()),
                Is.EqualTo(_modelJson.GetProperty("confusion_matrix").EnumerateArray().Select(row => row.EnumerateArray().Select(c => c.GetInt32()).ToArray())));
            Assert.That(card.TorchsharpVersion, Is.EqualTo("0.107.0"));
            Assert.That(card.Epochs, Has.Count.EqualTo(1));
            Assert.That(card.Epochs[0].TestAccuracy, Is.EqualTo(card.TestAccuracy), "the last epoch's evaluation is the model's");
            Assert.That(card.Plots, Is.EquivalentTo(PlotNames));
        });
    }

    [Test]
    public async Task GetModel_Grpc_MostConfusedAreMisreadTestImagesMostConfidentFirst()
    {
        var card = await Server.Client.GetModelAsync(new GetModelRequest()).ResponseAsync.WaitAsync(InferenceServer.Timeout);

        Assert.That(card.MostConfused, Has.Count.EqualTo(16));
        Assert.That(card.MostConfused.Select(c => c.Confidence), Is.Ordered.Descending);
        foreach (var confused in card.MostConfused.Take(3))
        {
            var sample = await Server.Client.PredictTestSampleAsync(new PredictTestSampleRequest { Id = confused.Id }).ResponseAsync.WaitAsync(InferenceServer.Timeout);
            Assert.That(sample.Label, Is.EqualTo(confused.Label));
            Assert.That(sample.Prediction.Digit, Is.EqualTo(confused.Predicted).And.Not.EqualTo(confused.Label));
            Assert.That(sample.Prediction.Confidence, Is.EqualTo(confused.Confidence).Within(1e-4));
        }
    }

    [Test]
    public async Task GetModel_Rest_SameCardAsProtoJson()
    {
        var grpc = await Server.Client.GetModelAsync(new GetModelRequest()).ResponseAsync.WaitAsync(InferenceServer.Timeout);

        var rest = await JsonResponse.ReadAsync(Server.Http.GetAsync("/v1/model"));

        Assert.That(rest.Status, Is.EqualTo(200), rest.Text);
        Assert.That(rest.Json.GetProperty("modelVersion").GetString(), Is.EqualTo(TestModel.Version));
        Assert.That(rest.Json.GetProperty("testAccuracy").GetDouble(), Is.EqualTo(_modelJson.GetProperty("test_accuracy").GetDouble()));
        Assert.That(rest.Json.GetProperty("confusionMatrix")[3].GetProperty("counts")[3].GetInt32(), Is.EqualTo(_modelJson.GetProperty("confusion_matrix")[3][3].GetInt32()));
        Assert.That(ModelInfo.Parser.ParseJson(rest.Text), Is.EqualTo(grpc));
    }

    [TestCase("training-curve.png")]
    [TestCase("confusion-matrix.png")]
    public async Task Plot_KnownName_PngBytesOfTheCard(string name)
    {
        using var response = await Server.Http.GetAsync($"/v1/model/plots/{name}").WaitAsync(InferenceServer.Timeout);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
        Assert.That(bytes[..8], Is.EqualTo(PngSignature));
        Assert.That(bytes, Is.EqualTo(await File.ReadAllBytesAsync(Path.Combine(Server.ModelDir, "cards", TestModel.Version, name))));
    }

    [TestCase("nope.png")]
    [TestCase("model.json")]
    [TestCase("..%2Fmodel.json")]
    public async Task Plot_UnknownName_NotFoundJson(string name)
    {
        var response = await JsonResponse.ReadAsync(Server.Http.GetAsync($"/v1/model/plots/{name}"));

        response.AssertError(404, StatusCode.NotFound);
        Assert.That(response.Json.GetProperty("message").GetString(), Does.Contain("training-curve.png"));
    }

    [Test]
    public async Task Plot_WrongVerb_MethodNotAllowedJson()
    {
        var response = await JsonResponse.ReadAsync(Server.Http.PostAsync("/v1/model/plots/training-curve.png", null));

        response.AssertError(405, StatusCode.Unimplemented);
    }

    [Test]
    public async Task GetModel_NoModel_UnavailableAndRest503()
    {
        await using var server = await InferenceServer.StartAsync(withModel: false);

        var error = await CatchAsync(() => server.Client.GetModelAsync(new GetModelRequest()).ResponseAsync);
        var rest = await JsonResponse.ReadAsync(server.Http.GetAsync("/v1/model"));
        var plot = await JsonResponse.ReadAsync(server.Http.GetAsync("/v1/model/plots/training-curve.png"));

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.Unavailable));
        rest.AssertError(503, StatusCode.Unavailable);
        plot.AssertError(503, StatusCode.Unavailable);
    }

    [Test]
    public async Task GetModel_HotReloadToAModelWithoutCard_NotFoundThenTheNewCardOnceItIsPublished()
    {
        await using var server = await InferenceServer.StartAsync();
        var other = TestModel.TrainOther(seed: 5);
        var otherVersion = ModelVersion.Compute(other);

        AtomicFile.WriteAllBytes(Path.Combine(server.ModelDir, "model.dat"), other);
        await server.WaitForModelAsync(otherVersion);
        var error = await CatchAsync(() => server.Client.GetModelAsync(new GetModelRequest()).ResponseAsync);
        var plot = await JsonResponse.ReadAsync(server.Http.GetAsync("/v1/model/plots/training-curve.png"));

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.NotFound));
        Assert.That(error.Status.Detail, Does.Contain(otherVersion).And.Contain("card"));
        plot.AssertError(404, StatusCode.NotFound);

        TestModel.WriteTo(server.ModelDir);
        await server.WaitForModelAsync(TestModel.Version);
        var card = await server.Client.GetModelAsync(new GetModelRequest()).ResponseAsync.WaitAsync(InferenceServer.Timeout);
        Assert.That(card.ModelVersion, Is.EqualTo(TestModel.Version));
    }

    [Test]
    public async Task GetModel_CardOfOtherWeights_NotFoundSayingSo()
    {
        await using var server = await InferenceServer.StartAsync(withModel: false);
        var other = TestModel.TrainOther(seed: 6);
        var otherVersion = ModelVersion.Compute(other);
        // A card directory named for these weights, holding another run's files.
        var cards = Directory.CreateDirectory(Path.Combine(server.ModelDir, "cards", otherVersion)).FullName;
        foreach (var file in Directory.GetFiles(TestModel.CardDirectory))
        {
            File.Copy(file, Path.Combine(cards, Path.GetFileName(file)));
        }

        AtomicFile.WriteAllBytes(Path.Combine(server.ModelDir, "model.dat"), other);
        await server.WaitForModelAsync(otherVersion);
        var error = await CatchAsync(() => server.Client.GetModelAsync(new GetModelRequest()).ResponseAsync);

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.NotFound));
        // The reason (a card file that describes other weights) names paths: the log has it, the client does not.
        Assert.That(error.Status.Detail, Is.EqualTo($"model {otherVersion} has no model card"));
    }

    [Test]
    public async Task Plot_SymbolicLinkToEtcPasswd_NotServed404()
    {
        await using var server = await InferenceServer.StartAsync(withModel: false);
        var cards = Directory.CreateDirectory(Path.Combine(server.ModelDir, "cards", TestModel.Version)).FullName;
        foreach (var file in Directory.GetFiles(TestModel.CardDirectory))
        {
            File.Copy(file, Path.Combine(cards, Path.GetFileName(file)));
        }

        File.Delete(Path.Combine(cards, "training-curve.png"));
        File.CreateSymbolicLink(Path.Combine(cards, "training-curve.png"), "/etc/passwd");
        AtomicFile.WriteAllBytes(Path.Combine(server.ModelDir, "model.dat"), TestModel.WeightsFile);
        await server.WaitForModelAsync(TestModel.Version);

        var plot = await JsonResponse.ReadAsync(server.Http.GetAsync("/v1/model/plots/training-curve.png"));

        plot.AssertError(404, StatusCode.NotFound);
        Assert.That(plot.Text, Does.Not.Contain("root:").And.Not.Contain("/etc/passwd").And.Not.Contain(server.ModelDir));
    }

    private static async Task<RpcException> CatchAsync(Func<Task> call)
    {
        try
        {
            await call().WaitAsync(InferenceServer.Timeout);
        }
        catch (RpcException e)
        {
            return e;
        }

        throw new AssertionException("the call succeeded");
    }
}
