using System.Net;
using System.Text.Json;

namespace Mnist.Tests.Functional.Rest;

/// <summary>The OpenAPI document generated from the proto's google.api.http annotations and comments, and its page.</summary>
[Category("Functional")]
public class OpenApiFunctionalTests : ServerFixture
{
    private static readonly string[] TranscodedPaths = ["/v1/predict", "/v1/test-samples/{id}", "/v1/health", "/v1/model"];

    [Test]
    public async Task GetDocument_HttpPort_EveryTranscodedRouteWithTheProtoComment()
    {
        using var response = await Server.Http.GetAsync("/swagger/v1/swagger.json").WaitAsync(InferenceServer.Timeout);
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var paths = document.GetProperty("paths");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(paths.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(TranscodedPaths));
        Assert.That(paths.GetProperty("/v1/predict").GetProperty("post").GetProperty("summary").GetString(), Does.StartWith("Classifies one image"));
        Assert.That(paths.GetProperty("/v1/test-samples/{id}").TryGetProperty("get", out _), Is.True);
        Assert.That(paths.GetProperty("/v1/model").GetProperty("get").GetProperty("summary").GetString(), Does.StartWith("The model card of the loaded model"));
    }

    [Test]
    public async Task GetPage_HttpPort_BrowsableUi()
    {
        using var response = await Server.Http.GetAsync("/swagger/index.html").WaitAsync(InferenceServer.Timeout);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("swagger-ui"));
    }

    [Test]
    public async Task GetDocument_GrpcPort_NotFound()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Server.GrpcAddress, "/swagger/v1/swagger.json"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await Server.Http2.SendAsync(request).WaitAsync(InferenceServer.Timeout);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
