using System.Net;
using Grpc.Core;
using Grpc.Reflection.V1;

namespace Mnist.Tests.Functional.PrivateEndpoints;

/// <summary>OPENAPI_ENABLED and GRPC_REFLECTION_ENABLED off (as in the manifests), and the headers every HTTP answer carries.</summary>
[Category("Functional")]
public class PrivateEndpointTests : ServerFixture
{
    internal override Task<InferenceServer> StartServerAsync() => InferenceServer.StartAsync(settings: [("OPENAPI_ENABLED", "false"), ("GRPC_REFLECTION_ENABLED", "false")]);

    [Test]
    public async Task ServerReflectionInfo_ReflectionOff_Unimplemented()
    {
        var client = new ServerReflection.ServerReflectionClient(Server.Channel);
        using var call = client.ServerReflectionInfo();

        // The refusal may already meet the first write, or else the first read.
        var error = Assert.ThrowsAsync<RpcException>(async () =>
        {
            await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }).WaitAsync(InferenceServer.Timeout);
            await call.ResponseStream.MoveNext().WaitAsync(InferenceServer.Timeout);
        });

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.Unimplemented));
    }

    [TestCase("/swagger/v1/swagger.json")]
    [TestCase("/swagger/index.html")]
    public async Task GetSwagger_OpenApiOff_NotFound(string path)
    {
        using var response = await Server.Http.GetAsync(path).WaitAsync(InferenceServer.Timeout);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase("/v1/health", HttpStatusCode.OK)]
    [TestCase("/v1/test-samples/99999", HttpStatusCode.BadRequest)]
    [TestCase("/no-such-page", HttpStatusCode.NotFound)]
    [TestCase("/healthz", HttpStatusCode.OK)]
    public async Task Get_AnyJsonAnswer_NosniffFrameDenialAndAPolicy(string path, HttpStatusCode status)
    {
        using var response = await Server.Http.GetAsync(path).WaitAsync(InferenceServer.Timeout);

        Assert.That(response.StatusCode, Is.EqualTo(status));
        Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        Assert.That(response.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("default-src 'none'").And.Contain("frame-ancestors 'none'"));
    }

    [Test]
    public async Task GetPage_Html_ItsOwnPolicyWithFrameDenial()
    {
        using var response = await Server.Http.GetAsync("/").WaitAsync(InferenceServer.Timeout);

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        Assert.That(response.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("script-src 'self'").And.Contain("frame-ancestors 'none'"));
    }
}
