using Mnist.Inference.Grpc.Classification;
using Mnist.Inference.Grpc.Errors;
using Grpc.Core;
using Mnist.Inference.Grpc.Services;

namespace Mnist.Inference.Grpc.Rest;

/// <summary>
/// <c>GET /v1/model/plots/{name}</c>: a plot of the loaded model's card (the names are in GetModel's <c>plots</c>),
/// read with the model, so it always belongs to the weights serving. 404 JSON for a name the card does not have.
/// </summary>
internal sealed class ModelPlotEndpoint(DigitClassifier classifier, RestErrorBoundary boundary)
{
    public const string Route = "/v1/model/plots/{name}";

    public Task HandleAsync(HttpContext context) => boundary.RunAsync(context, "GET " + Route, async () =>
    {
        var name = context.Request.RouteValues["name"]?.ToString() ?? "";
        var model = classifier.RequireModel();
        if (model.Card is not { } card)
        {
            throw Statuses.NoModelCard(model.Version);
        }

        if (!card.Plots.TryGetValue(name, out var png))
        {
            throw Statuses.NoPlot(name, card.Plots.Keys);
        }

        // The name stays while the model changes: revalidate, and let the version tell the plots apart.
        var etag = $"\"{model.Version[..16]}-{name}\"";
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = "no-cache";
        if (context.Request.Headers.IfNoneMatch.Contains(etag))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        context.Response.ContentType = "image/png";
        context.Response.ContentLength = png.Length;
        await context.Response.Body.WriteAsync(png, context.RequestAborted);
    });
}
