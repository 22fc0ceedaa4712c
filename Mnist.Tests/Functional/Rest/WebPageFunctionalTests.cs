using System.Net;

namespace Mnist.Tests.Functional.Rest;

/// <summary>The embedded page as plain HTTP: files, headers, caching, and the CORS option.</summary>
[Category("Functional")]
public class WebPageFunctionalTests : ServerFixture
{
    [TestCase("/", "text/html", "<canvas id=\"pad\"")]
    [TestCase("/index.html", "text/html", "aria-live=\"polite\"")]
    [TestCase("/app.js", "text/javascript", "/v1/predict")]
    [TestCase("/app.css", "text/css", ":focus-visible")]
    public async Task Get_PageFile_ServedFromTheAssemblyWithStrictHeaders(string path, string mediaType, string content)
    {
        using var response = await Server.Http.GetAsync(path).WaitAsync(InferenceServer.Timeout);
        var text = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(mediaType));
        Assert.That(text, Does.Contain(content));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("default-src 'self'"));
        Assert.That(response.Headers.ETag, Is.Not.Null);
    }

    [Test]
    public async Task Get_PageWithItsETag_304()
    {
        using var first = await Server.Http.GetAsync("/app.js").WaitAsync(InferenceServer.Timeout);
        var request = new HttpRequestMessage(HttpMethod.Get, "/app.js");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var second = await Server.Http.SendAsync(request).WaitAsync(InferenceServer.Timeout);

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [Test]
    public async Task Page_ReferencesOnlyThisOrigin()
    {
        var html = await Server.Http.GetStringAsync("/").WaitAsync(InferenceServer.Timeout);
        var js = await Server.Http.GetStringAsync("/app.js").WaitAsync(InferenceServer.Timeout);

        Assert.That(html + js, Does.Not.Contain("http://").And.Not.Contain("https://"));
    }

    [Test]
    public async Task Preflight_CorsOff_NoCorsHeaders()
    {
        using var response = await SendPreflightAsync(Server, "https://other.example");

        Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    [Test]
    public async Task Preflight_CorsOriginConfigured_AllowsThatOriginOnly()
    {
        await using var server = await InferenceServer.StartAsync(settings: ("CORS_ORIGINS", "https://app.example"));

        using var allowed = await SendPreflightAsync(server, "https://app.example");
        using var other = await SendPreflightAsync(server, "https://evil.example");
        using var simple = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/v1/health") { Headers = { { "Origin", "https://app.example" } } });

        Assert.That(allowed.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("https://app.example"));
        Assert.That(other.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
        Assert.That(simple.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("https://app.example"));
    }

    private static Task<HttpResponseMessage> SendPreflightAsync(InferenceServer server, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/v1/predict");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return server.Http.SendAsync(request).WaitAsync(InferenceServer.Timeout);
    }
}
