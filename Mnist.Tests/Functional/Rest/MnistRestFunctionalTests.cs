using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Grpc.Core;

namespace Mnist.Tests.Functional.Rest;

/// <summary>The transcoded mnist.v1 API on the real server's HTTP port, with a real trained model.</summary>
[Category("Functional")]
public class MnistRestFunctionalTests : ServerFixture
{
    private Task<JsonResponse> PostJsonAsync(string path, string json, string contentType = "application/json")
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return JsonResponse.ReadAsync(Server.Http.PostAsync(path, content));
    }

    private Task<JsonResponse> PredictAsync(string field, byte[] bytes) =>
        PostJsonAsync("/v1/predict", $"{{\"{field}\": \"{Convert.ToBase64String(bytes)}\"}}");

    [Test]
    public async Task PostPredict_Pixels_ReturnsCamelCasePrediction()
    {
        var response = await PredictAsync("pixels", TestModel.TestSet.Image(0).ToArray());

        Assert.That(response.Status, Is.EqualTo(200), response.Text);
        Assert.That(response.ContentType, Is.EqualTo("application/json; charset=utf-8"));
        var json = response.Json;
        Assert.That(json.GetProperty("digit").GetInt32(), Is.EqualTo(TestModel.TestSet.Labels[0]));
        Assert.That(json.GetProperty("probabilities").GetArrayLength(), Is.EqualTo(10));
        Assert.That(json.GetProperty("probabilities").EnumerateArray().Sum(p => p.GetDouble()), Is.EqualTo(1).Within(1e-4));
        Assert.That(json.GetProperty("confidence").GetDouble(), Is.GreaterThan(0.5));
        Assert.That(json.GetProperty("modelVersion").GetString(), Is.EqualTo(TestModel.Version));
    }

    [Test]
    public async Task PostPredict_DigitZero_WritesTheDefaultValue()
    {
        var testSet = TestModel.TestSet;
        JsonResponse? zero = null;
        for (var i = 0; i < testSet.Count && zero is null; i++)
        {
            if (testSet.Labels[i] == 0 && await PredictAsync("pixels", testSet.Image(i).ToArray()) is { } r && r.Json.GetProperty("digit").GetInt32() == 0)
            {
                zero = r;
            }
        }

        Assert.That(zero, Is.Not.Null, "no zero of the test set was classified as 0");
        Assert.That(zero!.Text, Does.Contain("\"digit\":0"));
    }

    [Test]
    public async Task PostPredict_PngOfTestDigits_ClassifiesThemLikeThePixels()
    {
        var agree = 0;
        const int n = 10;
        for (var i = 0; i < n; i++)
        {
            var response = await PredictAsync("image", MnistTestDigits.Png(i));
            Assert.That(response.Status, Is.EqualTo(200), response.Text);
            agree += response.Json.GetProperty("digit").GetInt32() == TestModel.TestSet.Labels[i] ? 1 : 0;
        }

        Assert.That(agree, Is.GreaterThanOrEqualTo(n - 1));
    }

    [Test]
    public async Task GetTestSample_Id_ReturnsLabelPredictionAndVerdict()
    {
        var response = await JsonResponse.ReadAsync(Server.Http.GetAsync("/v1/test-samples/7"));

        Assert.That(response.Status, Is.EqualTo(200), response.Text);
        var json = response.Json;
        Assert.That(json.GetProperty("id").GetInt32(), Is.EqualTo(7));
        Assert.That(json.GetProperty("label").GetInt32(), Is.EqualTo(TestModel.TestSet.Labels[7]));
        var digit = json.GetProperty("prediction").GetProperty("digit").GetInt32();
        Assert.That(json.GetProperty("correct").GetBoolean(), Is.EqualTo(digit == TestModel.TestSet.Labels[7]));
        Assert.That(json.GetProperty("prediction").GetProperty("modelVersion").GetString(), Is.EqualTo(TestModel.Version));
    }

    [Test]
    public async Task GetTestSample_IdZero_WritesIdZero()
    {
        var response = await JsonResponse.ReadAsync(Server.Http.GetAsync("/v1/test-samples/0"));

        Assert.That(response.Json.GetProperty("id").GetInt32(), Is.Zero);
    }

    [TestCase("abc", "abc")]
    [TestCase("10000", "0..9999")]
    [TestCase("-1", "0..9999")]
    [TestCase("99999999999", "too large")]
    [TestCase("1.5", "1.5")]
    public async Task GetTestSample_BadId_400InvalidArgument(string id, string expected)
    {
        var response = await JsonResponse.ReadAsync(Server.Http.GetAsync($"/v1/test-samples/{id}"));

        response.AssertError(400, StatusCode.InvalidArgument);
        Assert.That(response.Message, Does.Contain(expected));
    }

    [Test]
    public async Task GetHealth_Serving_StatusAsEnumName()
    {
        var response = await JsonResponse.ReadAsync(Server.Http.GetAsync("/v1/health"));

        Assert.That(response.Status, Is.EqualTo(200));
        Assert.That(response.Json.GetProperty("status").GetString(), Is.EqualTo("SERVING"));
        Assert.That(response.Json.GetProperty("modelVersion").GetString(), Is.EqualTo(TestModel.Version));
    }

    [TestCase("{\"pixels\": ", "not correctly formatted")]
    [TestCase("{\"pixel\": \"AAAA\"}", "pixel")]
    [TestCase("{\"pixels\": 5}", "not correctly formatted")]
    [TestCase("{\"pixels\": \"!!\"}", "not correctly formatted")]
    [TestCase("{\"pixels\": \"AAAA\", \"image\": \"AAAA\"}", "Multiple values specified for oneof")]
    [TestCase("{\"pixels\": \"AAAA\"}", "784")]
    [TestCase("{}", "no input")]
    [TestCase("{\"image\": \"bm90IGFuIGltYWdl\"}", "not an image: the data starts with 0x6E6F7420616E2069; send a PNG or JPEG file")]
    public async Task PostPredict_BadBody_400InvalidArgument(string json, string expected)
    {
        var response = await PostJsonAsync("/v1/predict", json);

        response.AssertError(400, StatusCode.InvalidArgument);
        Assert.That(response.Message, Does.Contain(expected));
    }

    [Test]
    public async Task PostPredict_NonJsonContentType_400()
    {
        var response = await PostJsonAsync("/v1/predict", "pixels=AAAA", "application/x-www-form-urlencoded");

        response.AssertError(400, StatusCode.InvalidArgument);
        Assert.That(response.Message, Does.Contain("JSON"));
    }

    [Test]
    public async Task PostPredict_BodyOverSixMebibytes_413()
    {
        var json = $"{{\"image\": \"{new string('A', 7 * 1024 * 1024)}\"}}";

        var response = await PostJsonAsync("/v1/predict", json);

        response.AssertError(413, StatusCode.ResourceExhausted);
    }

    [Test]
    public async Task PostPredict_ChunkedBodyOverSixMebibytes_400StopsReadingAtTheLimit()
    {
        var json = System.Text.Encoding.UTF8.GetBytes($"{{\"image\": \"{new string('A', 7 * 1024 * 1024)}\"}}");
        // A stream of unknown length: sent chunked, without Content-Length.
        using var content = new StreamContent(new UnknownLengthStream(json));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        var response = await JsonResponse.ReadAsync(Server.Http.PostAsync("/v1/predict", content));

        response.AssertError(400, StatusCode.InvalidArgument);
        Assert.That(response.Message, Does.Contain("too large"));
    }

    [Test]
    public async Task PostPredict_ImageLargerThanAllowed_429ResourceExhausted()
    {
        var response = await PredictAsync("image", HandMadePng.Gray8(60000, 60000, []));

        response.AssertError(429, StatusCode.ResourceExhausted);
        Assert.That(response.Message, Does.Contain("60000"));
    }

    [Test]
    public async Task Get_UnknownRoute_404()
    {
        using var response = await Server.Http.GetAsync("/v1/nothing-here").WaitAsync(InferenceServer.Timeout);

        Assert.That((int)response.StatusCode, Is.EqualTo(404));
    }

    [TestCase("GET", "/v1/predict", "POST")]
    [TestCase("POST", "/v1/health", "GET")]
    [TestCase("DELETE", "/v1/test-samples/1", "GET")]
    public async Task WrongVerb_405WithAllow(string method, string path, string allowed)
    {
        using var response = await Server.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)).WaitAsync(InferenceServer.Timeout);

        Assert.That((int)response.StatusCode, Is.EqualTo(405));
        Assert.That(response.Content.Headers.Allow, Is.EquivalentTo((string[])[allowed]));
    }

    [Test]
    public async Task GetHealth_HostHeaderNamesAnotherPort_Served()
    {
        // As behind a published container port or a port-forward: the port is the connection's, not the Host's.
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/health");
        request.Headers.Host = "mnist.example:31080";

        var response = await JsonResponse.ReadAsync(Server.Http.SendAsync(request));

        Assert.That(response.Status, Is.EqualTo(200));
        Assert.That(response.Json.GetProperty("status").GetString(), Is.EqualTo("SERVING"));
    }

    [Test]
    public async Task GrpcPredict_AuthorityNamesAnotherPort_Served()
    {
        using var http = new HttpClient(new AuthorityRewriter("mnist.example:31051"));
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(Server.GrpcAddress, new() { HttpClient = http });
        var client = new V1.Mnist.MnistClient(channel);

        var prediction = await client.PredictTestSampleAsync(new V1.PredictTestSampleRequest { Id = 7 }).ResponseAsync.WaitAsync(InferenceServer.Timeout);

        Assert.That(prediction.Id, Is.EqualTo(7));
    }

    [Test]
    public async Task GrpcPort_RestPath_404()
    {
        using var http = new HttpClient { BaseAddress = Server.GrpcAddress, Timeout = InferenceServer.Timeout };
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/health") { Version = new Version(2, 0), VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await http.SendAsync(request).WaitAsync(InferenceServer.Timeout);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task GetTestSampleImage_Id_PngOfThatTestImage()
    {
        using var response = await Server.Http.GetAsync("/v1/test-samples/12/image.png").WaitAsync(InferenceServer.Timeout);
        var png = await response.Content.ReadAsByteArrayAsync();

        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("image/png"));
        using var decoded = Mnist.Model.Imaging.ImageDecoder.Decode(png, Mnist.Model.Imaging.ImageLimits.Default);
        Assert.That(decoded.Pixels.ToArray(), Is.EqualTo(TestModel.TestSet.Image(12).ToArray()));
    }

    [TestCase("x")]
    [TestCase("10000")]
    public async Task GetTestSampleImage_BadId_400(string id)
    {
        var response = await JsonResponse.ReadAsync(Server.Http.GetAsync($"/v1/test-samples/{id}/image.png"));

        response.AssertError(400, StatusCode.InvalidArgument);
    }

    private sealed class AuthorityRewriter(string authority) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Host = authority;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
