using Mnist.Inference.Grpc.Errors;
using System.Text.Encodings.Web;
using System.Text.Json;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Mnist.Inference.Grpc.Draining;
using Mnist.Inference.Grpc.Rest;

namespace Mnist.Inference.Grpc.OpenInference;

/// <summary>
/// The Open Inference Protocol's HTTP/REST API: health, server and model metadata, model readiness and inference
/// under <c>/v2</c>, with or without <c>/versions/{version}</c>. Errors are <c>{"error": "..."}</c> with the HTTP status
/// of their gRPC code (400 INVALID_ARGUMENT, 404 NOT_FOUND, 503 UNAVAILABLE...).
/// </summary>
internal sealed class OpenInferenceEndpoints(OpenInferenceHandler handler, ServerDrain drain, ILogger logger)
{
    /// <summary>
    /// Largest inference body: 1,024 FP32 images written as JSON numbers take about 784 x 1,024 x 12 bytes (9.6 MB)
    /// at float precision ("0.003921569,"); 16 MiB leaves room for nesting and spacing.
    /// </summary>
    public const long MaxInferBodySize = 16L * 1024 * 1024;

    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IEndpointConventionBuilder Map(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var services = routes.ServiceProvider;
        var endpoints = new OpenInferenceEndpoints(
            services.GetRequiredService<OpenInferenceHandler>(),
            services.GetRequiredService<ServerDrain>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OpenInferenceEndpoints).Namespace!));
        var group = routes.MapGroup("/v2");
        group.MapGet("", endpoints.ServerMetadataAsync);
        group.MapGet("/health/live", endpoints.LiveAsync);
        group.MapGet("/health/ready", endpoints.ReadyAsync);
        foreach (var model in new[] { "/models/{name}", "/models/{name}/versions/{version}" })
        {
            group.MapGet(model, endpoints.ModelMetadataAsync);
            group.MapGet(model + "/ready", endpoints.ModelReadyAsync);
            group.MapPost(model + "/infer", endpoints.InferAsync);
            MapMethodNotAllowed(group, model, HttpMethods.Get);
            MapMethodNotAllowed(group, model + "/ready", HttpMethods.Get);
            MapMethodNotAllowed(group, model + "/infer", HttpMethods.Post);
        }

        foreach (var path in new[] { "", "/health/live", "/health/ready" })
        {
            MapMethodNotAllowed(group, path, HttpMethods.Get);
        }

        return group;
    }

    private static void MapMethodNotAllowed(IEndpointRouteBuilder group, string pattern, string allowed) =>
        group.Map(pattern, context =>
            {
                context.Response.Headers.Allow = allowed;
                return WriteErrorAsync(context, StatusCodes.Status405MethodNotAllowed, $"{context.Request.Method} is not allowed on {context.Request.Path}; use {allowed}");
            })
            .WithDisplayName($"405 /v2{pattern}")
            .WithOrder(1);

    private Task LiveAsync(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status200OK, json => json.WriteBoolean("live", true));

    private Task ReadyAsync(HttpContext context)
    {
        var ready = handler.ServerReady;
        return WriteAsync(context, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, json => json.WriteBoolean("ready", ready));
    }

    private Task ServerMetadataAsync(HttpContext context) =>
        RunAsync(context, "GET /v2", drained: false, () => WriteAsync(context, StatusCodes.Status200OK, OpenInferenceHandler.ServerMetadata(), OpenInferenceJson.WriteServerMetadata));

    private Task ModelMetadataAsync(HttpContext context, string name, string? version) =>
        RunAsync(context, "GET /v2/models/{name}", drained: false, () =>
            WriteAsync(context, StatusCodes.Status200OK, handler.ModelMetadata(name, version ?? ""), OpenInferenceJson.WriteModelMetadata));

    private Task ModelReadyAsync(HttpContext context, string name, string? version) =>
        RunAsync(context, "GET /v2/models/{name}/ready", drained: false, () =>
        {
            var ready = handler.ModelReady(name, version ?? "");
            return WriteAsync(context, ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, json =>
            {
                json.WriteString("name", name);
                json.WriteBoolean("ready", ready);
            });
        });

    private Task InferAsync(HttpContext context, string name, string? version) =>
        RunAsync(context, "POST /v2/models/{name}/infer", drained: true, async () =>
        {
            if (context.Request.ContentLength > MaxInferBodySize)
            {
                await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, $"the body is larger than {MaxInferBodySize} bytes");
                return;
            }

            // A chunked body has no length to check up front: Kestrel stops reading it at the limit.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = MaxInferBodySize;
            }

            JsonDocument document;
            try
            {
                document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
            }
            catch (JsonException)
            {
                throw Statuses.InvalidArgument("the body is not valid JSON");
            }

            using (document)
            {
                var request = InferRequestJson.Read(document.RootElement, name, version ?? "");
                var response = await handler.InferAsync(request, context.RequestAborted);
                await WriteAsync(context, StatusCodes.Status200OK, response, OpenInferenceJson.WriteInferResponse);
            }
        });

    // Inference is counted by the drain like every mnist.v1 call, and refused with 503 once it has begun; health and
    // metadata answer to the end, as grpc.health.v1 does.
    private async Task RunAsync(HttpContext context, string route, bool drained, Func<Task> endpoint)
    {
        if (drained && !drain.TryEnter())
        {
            await WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, Statuses.ShuttingDown().Status.Detail);
            return;
        }

        try
        {
            await endpoint();
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client is gone: nobody reads a status.
        }
        catch (RpcException e)
        {
            OpenInferenceLog.CallFailed(logger, route, e.StatusCode, e.Status.Detail);
            await WriteErrorAsync(context, JsonError.HttpStatusOf(e.StatusCode), e.Status.Detail);
        }
        catch (BadHttpRequestException e)
        {
            OpenInferenceLog.CallFailed(logger, route, StatusCode.InvalidArgument, e.Message);
            await WriteErrorAsync(context, e.StatusCode, e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? $"the body is larger than {MaxInferBodySize} bytes"
                : "the HTTP request is malformed");
        }
        catch (Exception e)
        {
            OpenInferenceLog.HandlerFailed(logger, route, e);
            await WriteErrorAsync(context, StatusCodes.Status500InternalServerError, "the server failed to handle the request");
        }
        finally
        {
            if (drained)
            {
                drain.Exit();
            }
        }
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string message) =>
        context.Response.HasStarted ? Task.CompletedTask : WriteAsync(context, status, json => json.WriteString("error", message));

    private static Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> properties) =>
        WriteAsync(context, status, properties, static (json, write) =>
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        });

    private static async Task WriteAsync<T>(HttpContext context, int status, T value, Action<Utf8JsonWriter, T> write)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = JsonError.ContentType;
        await using (var json = new Utf8JsonWriter(response.BodyWriter, s_writerOptions))
        {
            write(json, value);
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
