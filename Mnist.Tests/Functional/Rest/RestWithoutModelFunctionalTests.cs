using Grpc.Core;

namespace Mnist.Tests.Functional.Rest;

/// <summary>The HTTP side of a server that has no model: every prediction is UNAVAILABLE (503), probes fail.</summary>
[Category("Functional")]
public class RestWithoutModelFunctionalTests : ServerFixture
{
    internal override Task<InferenceServer> StartServerAsync() => InferenceServer.StartAsync(withModel: false);

    [Test]
    public async Task PostPredict_NoModel_503Unavailable()
    {
        var content = new StringContent($"{{\"pixels\": \"{Convert.ToBase64String(new byte[784])}\"}}", System.Text.Encoding.UTF8, "application/json");

        var response = await JsonResponse.ReadAsync(Server.Http.PostAsync("/v1/predict", content));

        response.AssertError(503, StatusCode.Unavailable);
        Assert.That(response.Message, Does.Contain("model"));
    }

    [Test]
    public async Task GetTestSample_NoModel_503()
    {
        var response = await JsonResponse.ReadAsync(Server.Http.GetAsync("/v1/test-samples/1"));

        response.AssertError(503, StatusCode.Unavailable);
    }

    [Test]
    public async Task GetHealth_NoModel_200NotServing()
    {
        var response = await JsonResponse.ReadAsync(Server.Http.GetAsync("/v1/health"));

        Assert.That(response.Status, Is.EqualTo(200));
        Assert.That(response.Json.GetProperty("status").GetString(), Is.EqualTo("NOT_SERVING"));
        Assert.That(response.Json.GetProperty("modelVersion").GetString(), Is.Empty);
    }

    [TestCase("/healthz")]
    [TestCase("/health")]
    public async Task GetHealthz_NoModel_503WithReason(string path)
    {
        var response = await JsonResponse.ReadAsync(Server.Http.GetAsync(path));

        Assert.That(response.Status, Is.EqualTo(503));
        Assert.That(response.Json.GetProperty("status").GetString(), Is.EqualTo("unavailable"));
        Assert.That(response.Json.GetProperty("reason").GetString(), Is.Not.Empty);
    }

    [Test]
    public async Task GetPredictId_NoModel_503()
    {
        var response = await JsonResponse.ReadAsync(Server.Http.GetAsync("/predict/1"));

        response.AssertError(503, StatusCode.Unavailable);
    }

    [Test]
    public async Task GetHealthz_ModelArrives_Turns200()
    {
        await using var server = await InferenceServer.StartAsync(withModel: false);
        var before = await JsonResponse.ReadAsync(server.Http.GetAsync("/healthz"));

        TestModel.WriteTo(server.ModelDir);
        await server.WaitForModelAsync();
        var after = await JsonResponse.ReadAsync(server.Http.GetAsync("/healthz"));

        Assert.That((before.Status, after.Status), Is.EqualTo((503, 200)));
    }
}
