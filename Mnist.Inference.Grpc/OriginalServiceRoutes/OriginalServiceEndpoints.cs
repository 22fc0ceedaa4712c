using Mnist.Inference.Grpc.Errors;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
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

    // The image, and room for a field or two a client's form may add.
    private const int MaxSections = 4;

    // RFC 2046: a boundary is at most 70 characters.
    private const int MaxBoundaryLength = 70;

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

    // Read as it streams, in memory only: ReadFormAsync would buffer each file section over 64 KiB to a temporary file,
    // and /tmp is a small emptyDir in the pod. The body is bounded by MAX_UPLOAD_BYTES, and there is one file at most.
    private async Task<ByteString> ReadUploadAsync(HttpRequest request)
    {
        var limit = options.MaxUploadSize;
        if (request.ContentLength > limit)
        {
            throw RequestRejectedException.TooLarge(limit);
        }

        // A chunked body has no length to check up front: Kestrel stops reading it at the limit.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = limit;
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary) is not { Length: > 0 and <= MaxBoundaryLength } boundary)
        {
            throw Statuses.InvalidArgument(
                $"Content-Type '{request.ContentType}' is not multipart/form-data; upload the image as the form field '{FileField}' (curl -F {FileField}=@digit.png)");
        }

        var reader = new MultipartReader(boundary.ToString(), request.Body)
        {
            HeadersCountLimit = 16,
            HeadersLengthLimit = 16 * 1024,
            BodyLengthLimit = limit,
        };
        var cancellationToken = request.HttpContext.RequestAborted;
        ByteString? image = null;
        var otherFiles = new List<string>();
        try
        {
            var sections = 0;
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (++sections > MaxSections)
                {
                    throw Statuses.InvalidArgument($"the form has more than {MaxSections} fields; send the image alone as -F {FileField}=@digit.png");
                }

                if (section.GetContentDispositionHeader() is not { } disposition || !disposition.IsFileDisposition())
                {
                    await section.Body.DrainAsync(cancellationToken);
                    continue;
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).ToString();
                if (image is not null || otherFiles.Count > 0)
                {
                    throw Statuses.InvalidArgument($"the form has more than one file; send one image as -F {FileField}=@digit.png");
                }

                if (name != FileField)
                {
                    otherFiles.Add(name);
                    await section.Body.DrainAsync(cancellationToken);
                    continue;
                }

                image = await ByteString.FromStreamAsync(section.Body, cancellationToken);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw RequestRejectedException.TooLarge(limit);
        }
        catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            throw RequestRejectedException.TooLarge(limit);
        }
        catch (Exception e) when (e is InvalidDataException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw Statuses.InvalidArgument("The multipart/form-data body is malformed.");
        }

        return image ?? throw Statuses.InvalidArgument(
            $"the form has no file field '{FileField}'" + (otherFiles.Count > 0 ? $" (it has {string.Join(", ", otherFiles.Select(f => $"'{f}'"))})" : "")
            + $"; send the image as -F {FileField}=@digit.png");
    }
}
