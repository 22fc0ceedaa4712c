using Mnist.Inference.Grpc.Errors;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Mnist.Inference.Grpc.Services;
using Mnist.V1;

using Mnist.Inference.Grpc.Rest;

namespace Mnist.Inference.Grpc.OriginalServiceRoutes;

/// <summary>
/// The routes the original Python service offered, kept for its users and HTTP probes: thin adapters that call
/// <see cref="MnistService"/> and answer in the original services' JSON shapes; errors in transcoding's shape.
/// </summary>
internal sealed class OriginalServiceEndpoints(MnistService mnist, RestOptions options, RestErrorBoundary boundary)
{
    private const string FileField = "file";

    /// <summary><c>POST /predict</c>, multipart field <c>file</c> → <c>{"prediction": 7, "probs": [...]}</c>.</summary>
    public Task PredictUploadAsync(HttpContext context) => boundary.RunAsync(context, "POST /predict", async () =>
    {
        var image = await ReadUploadAsync(context.Request);
        var prediction = await mnist.PredictAsync(new PredictRequest { Image = image }, context.RequestAborted);
        await OriginalServiceJson.WriteAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteNumber("prediction", prediction.Digit);
            OriginalServiceJson.WriteNumbers(json, "probs", prediction.Probabilities);
        });
    });

    /// <summary><c>GET /predict/{id}</c> → <c>{"id", "predicted", "probs", "true_label"}</c>.</summary>
    public Task PredictSampleAsync(HttpContext context) => boundary.RunAsync(context, "GET /predict/{id}", async () =>
    {
        var id = TestSampleId.Parse(context.Request.RouteValues["id"]?.ToString());
        var sample = await mnist.PredictTestSampleAsync(new PredictTestSampleRequest { Id = id }, context.RequestAborted);
        await OriginalServiceJson.WriteAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteNumber("id", sample.Id);
            json.WriteNumber("predicted", sample.Prediction.Digit);
            OriginalServiceJson.WriteNumbers(json, "probs", sample.Prediction.Probabilities);
            json.WriteNumber("true_label", sample.Label);
        });
    });

    /// <summary><c>GET /health</c>, <c>/healthz</c>: 200 <c>{"status": "ok"}</c> while serving, else 503 with the reason.</summary>
    public async Task HealthAsync(HttpContext context)
    {
        // Not through the boundary: while draining, health answers (503 "unavailable") rather than being refused.
        var health = mnist.CurrentHealth();
        context.Response.Headers.CacheControl = "no-store";
        if (health.Status == HealthResponse.Types.Status.Serving)
        {
            await OriginalServiceJson.WriteAsync(context, StatusCodes.Status200OK, json => json.WriteString("status", "ok"));
            return;
        }

        await OriginalServiceJson.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, json =>
        {
            json.WriteString("status", "unavailable");
            json.WriteString("reason", health.Message);
        });
    }

    private async Task<ByteString> ReadUploadAsync(HttpRequest request)
    {
        if (request.ContentLength > options.MaxUploadSize)
        {
            throw RequestRejectedException.TooLarge(options.MaxUploadSize);
        }

        if (!request.HasFormContentType)
        {
            throw Statuses.InvalidArgument(
                $"Content-Type '{request.ContentType}' is not multipart/form-data; upload the image as the form field '{FileField}' (curl -F {FileField}=@digit.png)");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = options.MaxUploadSize }, request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            throw RequestRejectedException.TooLarge(options.MaxUploadSize);
        }
        catch (InvalidDataException)
        {
            throw Statuses.InvalidArgument("The multipart/form-data body is malformed.");
        }

        var file = form.Files.GetFile(FileField) ?? throw Statuses.InvalidArgument(
            $"the form has no file field '{FileField}'" + (form.Files.Count > 0 ? $" (it has {string.Join(", ", form.Files.Select(f => $"'{f.Name}'"))})" : "")
            + $"; send the image as -F {FileField}=@digit.png");
        await using var stream = file.OpenReadStream();
        return await ByteString.FromStreamAsync(stream, request.HttpContext.RequestAborted);
    }
}
