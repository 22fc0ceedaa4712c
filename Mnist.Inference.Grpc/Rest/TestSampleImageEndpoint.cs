using Mnist.Inference.Grpc.TestSet;
using Mnist.Model;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Mnist.Inference.Grpc.Rest;

/// <summary>
/// <c>GET /v1/test-samples/{id}/image.png</c>: the test image itself, so the page can show what was classified
/// (the transcoded API returns the prediction, not the pixels).
/// </summary>
internal sealed class TestSampleImageEndpoint(TestSampleSet testSet, RestErrorBoundary boundary)
{
    private static readonly PngEncoder s_grey = new() { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8 };

    public Task HandleAsync(HttpContext context) => boundary.RunAsync(context, "GET /v1/test-samples/{id}/image.png", async () =>
    {
        var id = TestSampleId.Parse(context.Request.RouteValues["id"]?.ToString());
        using var image = Image.LoadPixelData<L8>(testSet.Sample(id).Span, MnistShape.ImageSide, MnistShape.ImageSide);
        using var png = new MemoryStream();
        await image.SaveAsPngAsync(png, s_grey, context.RequestAborted);
        context.Response.ContentType = "image/png";
        context.Response.ContentLength = png.Length;
        // The test set never changes while the server runs.
        context.Response.Headers.CacheControl = "public, max-age=86400";
        await context.Response.Body.WriteAsync(png.GetBuffer().AsMemory(0, (int)png.Length), context.RequestAborted);
    });
}
