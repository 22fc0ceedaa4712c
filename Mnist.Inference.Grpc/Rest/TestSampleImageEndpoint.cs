using Mnist.Inference.Grpc.TestSet;

namespace Mnist.Inference.Grpc.Rest;

/// <summary>
/// <c>GET /v1/test-samples/{id}/image.png</c>: the test image itself, so the page can show what was classified
/// (the transcoded API returns the prediction, not the pixels).
/// </summary>
internal sealed class TestSampleImageEndpoint(TestSampleSet testSet, RestErrorBoundary boundary)
{
    private const int Side = 28;

    public Task HandleAsync(HttpContext context) => boundary.RunAsync(context, "GET /v1/test-samples/{id}/image.png", async () =>
    {
        var id = TestSampleId.Parse(context.Request.RouteValues["id"]?.ToString());
        var png = GrayPngEncoder.Encode(testSet.Sample(id).Span, Side, Side);
        context.Response.ContentType = "image/png";
        context.Response.ContentLength = png.Length;
        // The test set never changes while the server runs.
        context.Response.Headers.CacheControl = "public, max-age=86400";
        await context.Response.Body.WriteAsync(png, context.RequestAborted);
    });
}
