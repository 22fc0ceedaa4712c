using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Mnist.V1;

namespace Mnist.Tests.Functional.Access;

/// <summary>API_KEYS_FILE on: every gRPC, transcoded REST and hand-written REST call needs a key; health stays open.</summary>
[Category("Functional")]
public class ApiKeyTests : ServerFixture
{
    private static readonly PredictRequest Request = new() { Pixels = ByteString.CopyFrom(TestModel.TestSet.Image(0)) };

    private readonly ApiKeysFile _keys = new(("alpha", ApiKeysFile.Alpha));

    internal override Task<InferenceServer> StartServerAsync() =>
        InferenceServer.StartAsync(settings: [("API_KEYS_FILE", _keys.Path), ("API_KEYS_POLL_SECONDS", "0.1")]);

    [OneTimeTearDown]
    public void DeleteKeys() => _keys.Dispose();

    [TestCase(null)]
    [TestCase("authorization")]
    [TestCase("x-api-key")]
    public void Predict_NoKeyOrAWrongOne_Unauthenticated(string? header)
    {
        var headers = header is null ? new Metadata() : Header(header, "wrong-" + ApiKeysFile.Alpha);

        var error = Assert.ThrowsAsync<RpcException>(() => Server.Client.PredictAsync(Request, headers).ResponseAsync.WaitAsync(InferenceServer.Timeout));

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.Unauthenticated));
        Assert.That(error.Status.Detail, Does.Contain(header is null ? "API key is required" : "not valid"));
    }

    [TestCase("authorization")]
    [TestCase("x-api-key")]
    public async Task Predict_RightKeyByEitherHeader_Predicts(string header)
    {
        var prediction = await Server.Client.PredictAsync(Request, Header(header, ApiKeysFile.Alpha)).ResponseAsync.WaitAsync(InferenceServer.Timeout);

        Assert.That(prediction.Digit, Is.EqualTo(TestModel.TestSet.Labels[0]));
    }

    [TestCase("/v1/test-samples/3")]
    [TestCase("/predict/3")]
    [TestCase("/v1/model")]
    public async Task Get_NoKey_401JsonWithWwwAuthenticate(string path)
    {
        using var response = await Server.Http.GetAsync(path).WaitAsync(InferenceServer.Timeout);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("Bearer"));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(body.GetProperty("code").GetInt32(), Is.EqualTo((int)StatusCode.Unauthenticated));
        Assert.That(body.GetProperty("message").GetString(), Does.Contain("API key is required"));
    }

    [Test]
    public async Task PostPredict_WrongKey_401Json()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/predict")
        {
            Content = new StringContent($"{{\"pixels\": \"{Convert.ToBase64String(TestModel.TestSet.Image(0))}\"}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong-" + ApiKeysFile.Alpha);

        using var response = await Server.Http.SendAsync(request).WaitAsync(InferenceServer.Timeout);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(body.GetProperty("message").GetString(), Is.EqualTo("the API key is not valid"));
    }

    [TestCase("/v1/test-samples/3", "authorization")]
    [TestCase("/v1/test-samples/3", "x-api-key")]
    [TestCase("/predict/3", "authorization")]
    [TestCase("/predict/3", "x-api-key")]
    public async Task Get_RightKeyByEitherHeader_Ok(string path, string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(header, header == "authorization" ? "Bearer " + ApiKeysFile.Alpha : ApiKeysFile.Alpha);

        using var response = await Server.Http.SendAsync(request).WaitAsync(InferenceServer.Timeout);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
    }

    [TestCase("/healthz")]
    [TestCase("/health")]
    [TestCase("/v1/health")]
    [TestCase("/")]
    public async Task HealthAndPage_NoKey_Ok(string path)
    {
        using var response = await Server.Http.GetAsync(path).WaitAsync(InferenceServer.Timeout);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase("")]
    [TestCase("mnist.v1.Mnist")]
    public async Task GrpcHealthCheck_NoKey_Serving(string service)
    {
        var health = await Server.Health.CheckAsync(new HealthCheckRequest { Service = service }).ResponseAsync.WaitAsync(InferenceServer.Timeout);

        Assert.That(health.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.Serving));
    }

    [Test]
    public async Task KeysFile_KeyAddedThenRemoved_WorksWithinThePollThenStops()
    {
        try
        {
            _keys.Write(("alpha", ApiKeysFile.Alpha), ("beta", ApiKeysFile.Beta));
            var added = await UntilAsync(async () => await StatusWithAsync(ApiKeysFile.Beta) == StatusCode.OK);

            _keys.Write(("alpha", ApiKeysFile.Alpha));
            var removed = await UntilAsync(async () => await StatusWithAsync(ApiKeysFile.Beta) == StatusCode.Unauthenticated);

            Assert.That(added, Is.LessThan(TimeSpan.FromSeconds(5)), "a 0.1 s poll picks the new key up at once");
            Assert.That(removed, Is.LessThan(TimeSpan.FromSeconds(5)));
            Assert.That(await StatusWithAsync(ApiKeysFile.Alpha), Is.EqualTo(StatusCode.OK), "the key that stayed still works");
        }
        finally
        {
            _keys.Write(("alpha", ApiKeysFile.Alpha));
        }
    }

    [Test]
    public async Task Predict_WithKey_MetricCarriesTheKeyNameNeverTheKey()
    {
        await Server.Client.PredictAsync(Request, Header("authorization", ApiKeysFile.Alpha)).ResponseAsync.WaitAsync(InferenceServer.Timeout);

        using var timeout = new CancellationTokenSource(InferenceServer.Timeout);
        string text;
        do
        {
            await Task.Delay(100, timeout.Token);
            text = await Server.Http.GetStringAsync(new Uri(Server.MetricsAddress, "/metrics"), timeout.Token);
        }
        while (!text.Contains("mnist_caller=\"alpha\"", StringComparison.Ordinal));

        Assert.That(PrometheusText.Parse(text).Sum("http_server_request_duration_seconds_count", ("mnist_caller", "alpha")), Is.GreaterThanOrEqualTo(1));
        Assert.That(text, Does.Not.Contain(ApiKeysFile.Alpha));
    }

    private static Metadata Header(string header, string key) =>
        new() { { header, header == "authorization" ? "Bearer " + key : key } };

    private async Task<StatusCode> StatusWithAsync(string key)
    {
        try
        {
            await Server.Client.PredictAsync(Request, Header("x-api-key", key)).ResponseAsync.WaitAsync(InferenceServer.Timeout);
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    private static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(InferenceServer.Timeout);
        while (!await condition())
        {
            await Task.Delay(50, timeout.Token);
        }

        return clock.Elapsed;
    }
}
