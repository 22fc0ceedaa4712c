using Google.Protobuf;
using Microsoft.AspNetCore.Http.Features;
using Mnist.Grpc.Server;
using Mnist.Grpc.Transcoding;
using Mnist.Grpc.V1;
using Mnist.Grpc.Wire;
using Mnist.Inference.Grpc.Services;

namespace Mnist.Inference.Grpc.Rest;

/// <summary>
/// The routes the original Python service offered, kept for its users and HTTP probes: thin adapters that call
/// <see cref="MnistService"/> and answer in the seeds' JSON shapes; errors in the transcoder's shape.
/// </summary>
internal sealed class SeedEndpoints(MnistService mnist, RestOptions options, ILogger logger)
{
    private const string FileField = "file";

    /// <summary><c>POST /predict</c>, multipart field <c>file</c> → <c>{"prediction": 7, "probs": [...]}</c>.</summary>
    public Task PredictUploadAsync(HttpContext context) => JsonErrorBoundary.RunAsync(context, logger, "POST /predict", async () =>
    {
        var image = await ReadUploadAsync(context.Request);
        var prediction = await mnist.PredictAsync(new PredictRequest { Image = image }, CallContext(context, "Predict"));
        await SeedJson.WriteAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteNumber("prediction", prediction.Digit);
            SeedJson.WriteNumbers(json, "probs", prediction.Probabilities);
        });
    });

    /// <summary><c>GET /predict/{id}</c> → <c>{"id", "predicted", "probs", "true_label"}</c>.</summary>
    public Task PredictSampleAsync(HttpContext context) => JsonErrorBoundary.RunAsync(context, logger, "GET /predict/{id}", async () =>
    {
        var id = TestSampleId.Parse(context.Request.RouteValues["id"]?.ToString());
        var sample = await mnist.PredictTestSampleAsync(new PredictTestSampleRequest { Id = id }, CallContext(context, "PredictTestSample"));
        await SeedJson.WriteAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteNumber("id", sample.Id);
            json.WriteNumber("predicted", sample.Prediction.Digit);
            SeedJson.WriteNumbers(json, "probs", sample.Prediction.Probabilities);
            json.WriteNumber("true_label", sample.Label);
        });
    });

    /// <summary><c>GET /health</c>, <c>/healthz</c>: 200 <c>{"status": "ok"}</c> while serving, else 503 with the reason.</summary>
    public Task HealthAsync(HttpContext context) => JsonErrorBoundary.RunAsync(context, logger, "GET /healthz", async () =>
    {
        var health = await mnist.HealthAsync(new HealthRequest(), CallContext(context, "Health"));
        context.Response.Headers.CacheControl = "no-store";
        if (health.Status == HealthResponse.Types.Status.Serving)
        {
            await SeedJson.WriteAsync(context, StatusCodes.Status200OK, json => json.WriteString("status", "ok"));
            return;
        }

        await SeedJson.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, json =>
        {
            json.WriteString("status", "unavailable");
            json.WriteString("reason", health.Message);
        });
    });

    private async Task<ByteString> ReadUploadAsync(HttpRequest request)
    {
        if (request.ContentLength > options.MaxUploadSize)
        {
            throw TooLarge();
        }

        if (!request.HasFormContentType)
        {
            throw new GrpcStatusException(StatusCode.InvalidArgument,
                $"Content-Type '{request.ContentType}' is not multipart/form-data; upload the image as the form field '{FileField}' (curl -F {FileField}=@digit.png)");
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = options.MaxUploadSize }, request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            throw TooLarge();
        }
        catch (InvalidDataException)
        {
            throw new GrpcStatusException(StatusCode.InvalidArgument, "The multipart/form-data body is malformed.");
        }

        var file = form.Files.GetFile(FileField) ?? throw new GrpcStatusException(StatusCode.InvalidArgument,
            $"the form has no file field '{FileField}'" + (form.Files.Count > 0 ? $" (it has {string.Join(", ", form.Files.Select(f => $"'{f.Name}'"))})" : "")
            + $"; send the image as -F {FileField}=@digit.png");
        await using var stream = file.OpenReadStream();
        return await ByteString.FromStreamAsync(stream, request.HttpContext.RequestAborted);
    }

    private RequestRejectedException TooLarge() => RequestRejectedException.TooLarge(options.MaxUploadSize);

    private static GrpcCallContext CallContext(HttpContext context, string method) =>
        GrpcCallContext.FromHttpContext(context, $"/mnist.v1.Mnist/{method}");
}
