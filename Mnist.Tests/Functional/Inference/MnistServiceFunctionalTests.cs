using Google.Protobuf;
using Mnist.V1;
using Grpc.Core;

namespace Mnist.Tests.Functional.Inference;

/// <summary>mnist.v1.Mnist on the real server, over h2c, with a real trained model.</summary>
[Category("Functional")]
public class MnistServiceFunctionalTests : ServerFixture
{
    [Test]
    public async Task Predict_TestSetPixels_ClassifiesAsTheLabelMostOfTheTime()
    {
        var testSet = TestModel.TestSet;
        var correct = 0;
        const int n = 200;
        for (var i = 0; i < n; i++)
        {
            var request = new PredictRequest { Pixels = ByteString.CopyFrom(testSet.Image(i)) };
            var prediction = await Server.Client.PredictAsync(request).ResponseAsync.WaitAsync(InferenceServer.Timeout);
            correct += prediction.Digit == testSet.Labels[i] ? 1 : 0;
        }

        Assert.That(correct, Is.GreaterThan(n * 0.9));
    }

    [Test]
    public async Task Predict_Pixels_ReturnsTenProbabilitiesConfidenceAndVersion()
    {
        var request = new PredictRequest { Pixels = ByteString.CopyFrom(TestModel.TestSet.Image(0)) };

        var prediction = await Server.Client.PredictAsync(request).ResponseAsync.WaitAsync(InferenceServer.Timeout);

        Assert.That(prediction.Probabilities, Has.Count.EqualTo(10));
        Assert.That(prediction.Probabilities.Sum(), Is.EqualTo(1f).Within(1e-4f));
        Assert.That(prediction.Confidence, Is.EqualTo(prediction.Probabilities.Max()));
        Assert.That(prediction.Probabilities[prediction.Digit], Is.EqualTo(prediction.Confidence));
        Assert.That(prediction.ModelVersion, Is.EqualTo(TestModel.Version));
    }

    [TestCase(0)]
    [TestCase(783)]
    [TestCase(785)]
    public async Task Predict_PixelsOfWrongLength_InvalidArgumentSaysWhatIsAllowed(int length)
    {
        var error = await CatchAsync(() => Server.Client.PredictAsync(new PredictRequest { Pixels = ByteString.CopyFrom(new byte[length]) }).ResponseAsync);

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(error.Status.Detail, Does.Contain($"{length} bytes").And.Contain("784"));
    }

    [Test]
    public async Task Predict_NoInput_InvalidArgument()
    {
        var error = await CatchAsync(() => Server.Client.PredictAsync(new PredictRequest()).ResponseAsync);

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(error.Status.Detail, Does.Contain("image").And.Contain("pixels"));
    }

    [Test]
    public async Task Predict_GarbageImage_InvalidArgument()
    {
        var error = await CatchAsync(() => Server.Client.PredictAsync(new PredictRequest { Image = ByteString.CopyFromUtf8("not an image at all") }).ResponseAsync);

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
    }

    [TestCase("digit-7.png", 7)]
    [TestCase("digit-2.png", 2)]
    public async Task Predict_ScannedPngOfATestDigit_ReadsTheDigit(string file, int digit)
    {
        var image = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Root, "Mnist.Tests", "TestData", file));

        var prediction = await Server.Client.PredictAsync(new PredictRequest { Image = ByteString.CopyFrom(image) }).ResponseAsync.WaitAsync(InferenceServer.Timeout);

        Assert.That(prediction.Digit, Is.EqualTo(digit));
    }

    [Test]
    public async Task Predict_PngClaiming60000x60000_ResourceExhaustedBeforeDecoding()
    {
        var bomb = HandMadePng.Gray8(60000, 60000, [new byte[16]]);

        var error = await CatchAsync(() => Server.Client.PredictAsync(new PredictRequest { Image = ByteString.CopyFrom(bomb) }).ResponseAsync);

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
        Assert.That(error.Status.Detail, Does.Contain("60000x60000").And.Contain("4096x4096"));
    }

    [TestCase(0)]
    [TestCase(9999)]
    public async Task PredictTestSample_ValidId_ReturnsLabelAndPrediction(int id)
    {
        var result = await Server.Client.PredictTestSampleAsync(new PredictTestSampleRequest { Id = id }).ResponseAsync.WaitAsync(InferenceServer.Timeout);

        Assert.That(result.Id, Is.EqualTo(id));
        Assert.That(result.Label, Is.EqualTo(TestModel.TestSet.Labels[id]));
        Assert.That(result.Correct, Is.EqualTo(result.Prediction.Digit == result.Label));
        Assert.That(result.Prediction.ModelVersion, Is.EqualTo(TestModel.Version));
    }

    [TestCase(-1)]
    [TestCase(10000)]
    [TestCase(int.MaxValue)]
    public async Task PredictTestSample_IdOutOfRange_InvalidArgument(int id)
    {
        var error = await CatchAsync(() => Server.Client.PredictTestSampleAsync(new PredictTestSampleRequest { Id = id }).ResponseAsync);

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(error.Status.Detail, Does.Contain("0..9999"));
    }

    [Test]
    public async Task Health_ModelLoaded_ServingWithVersion()
    {
        var health = await Server.Client.HealthAsync(new HealthRequest()).ResponseAsync.WaitAsync(InferenceServer.Timeout);

        Assert.That(health.Status, Is.EqualTo(HealthResponse.Types.Status.Serving));
        Assert.That(health.ModelVersion, Is.EqualTo(TestModel.Version));
    }

    [Test]
    public async Task Predict_HundredsOfConcurrentCalls_AllSucceed()
    {
        var request = new PredictRequest { Pixels = ByteString.CopyFrom(TestModel.TestSet.Image(1)) };

        var calls = Enumerable.Range(0, 400).Select(_ => Server.Client.PredictAsync(request).ResponseAsync);
        var results = await Task.WhenAll(calls).WaitAsync(InferenceServer.Timeout);

        Assert.That(results.Select(r => r.Digit).Distinct().Count(), Is.EqualTo(1));
    }

    internal static async Task<RpcException> CatchAsync(Func<Task> call)
    {
        try
        {
            await call().WaitAsync(InferenceServer.Timeout);
        }
        catch (RpcException e)
        {
            return e;
        }

        throw new AssertionException("the call succeeded; a status error was expected");
    }
}
