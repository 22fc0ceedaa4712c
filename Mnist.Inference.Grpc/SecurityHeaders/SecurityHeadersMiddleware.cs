using Mnist.Inference.Grpc.Rejections;

namespace Mnist.Inference.Grpc.SecurityHeaders;

/// <summary>
/// Every HTTP response (JSON, errors, the page, Swagger) carries <c>X-Content-Type-Options: nosniff</c>,
/// <c>X-Frame-Options: DENY</c> and a Content-Security-Policy: a handler's own (the page's) wins, others get one
/// that loads nothing and may not be framed. gRPC responses are not rendered by browsers and go without.
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    // The JSON API's policy: a response opened as a document runs nothing and loads nothing.
    private const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    // Swagger UI is a page with its own scripts and inline styles: from this origin only, never framed.
    private const string SwaggerPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

    private static readonly Func<object, Task> s_onStarting = AddHeaders;

    public Task InvokeAsync(HttpContext context)
    {
        if (!CallRejection.IsGrpc(context.Request))
        {
            context.Response.OnStarting(s_onStarting, context);
        }

        return next(context);
    }

    private static Task AddHeaders(object state)
    {
        var context = (HttpContext)state;
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        if (headers.ContentSecurityPolicy.Count == 0)
        {
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/swagger") ? SwaggerPolicy : ApiPolicy;
        }

        return Task.CompletedTask;
    }
}
