using Microsoft.AspNetCore.Http.Features;

namespace Mnist.Inference.Grpc.Observability;

/// <summary>
/// Adds the call's grpc-status (<c>rpc.grpc.status_code</c>) to ASP.NET Core's <c>http.server.request.duration</c>:
/// grpc-dotnet 2.85 has no meter of its own (only aggregate event counters), and every gRPC response is HTTP 200.
/// Read from what was sent, so calls refused by the drain, by deadlines or by grpc-dotnet itself count too.
/// </summary>
internal sealed class GrpcStatusMetricsMiddleware(RequestDelegate next)
{
    private const string StatusKey = "grpc-status";

    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (context.Features.Get<IHttpMetricsTagsFeature>() is not { } metrics
            || !(context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) ?? false))
        {
            return;
        }

        // In the trailers after a message; in the headers of a trailers-only response (an error before any message).
        var status = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers[StatusKey] ?? default;
        if (status.Count == 0)
        {
            status = context.Response.Headers[StatusKey];
        }

        if (status.Count == 1)
        {
            metrics.Tags.Add(new("rpc.grpc.status_code", status[0]));
        }
    }
}
