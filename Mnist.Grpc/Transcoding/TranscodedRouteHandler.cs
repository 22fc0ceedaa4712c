using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Mnist.Grpc.Server;

namespace Mnist.Grpc.Transcoding;

/// <summary>Serves one route: binds the request, invokes the unary handler gRPC calls, writes proto3 JSON.</summary>
internal sealed class TranscodedRouteHandler(TranscodedRoute route, GrpcJsonTranscodingOptions options, ILogger logger)
{
    private readonly JsonFormatter _formatter = options.WriteDefaultValues ? TranscodingJson.WithDefaults : TranscodingJson.WithoutDefaults;

    public Task HandleAsync(HttpContext context) =>
        JsonErrorBoundary.RunAsync(context, logger, route.Method.Path, () => InvokeAsync(context));

    private async Task InvokeAsync(HttpContext context)
    {
        var request = await RequestBinder.BindAsync(context, route, options.MaxRequestBodySize).ConfigureAwait(false);
        if (request is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var callContext = GrpcCallContext.FromHttpContext(context, route.Method.Path);
        var response = await route.Method.InvokeAsync(request, callContext).ConfigureAwait(false);
        var json = Format(response);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = GrpcJsonError.ContentType;
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(json), context.RequestAborted).ConfigureAwait(false);
    }

    private string Format(IMessage response)
    {
        var json = _formatter.Format(response);
        if (route.ResponseBodyField is not { } field)
        {
            return json;
        }

        // response_body: only that field's JSON value is the body.
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty(field.JsonName, out var value) ? value.GetRawText() : "null";
    }
}
