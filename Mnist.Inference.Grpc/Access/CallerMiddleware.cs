using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Mnist.Inference.Grpc.Access;

/// <summary>
/// Puts the caller's name (the key's name or the certificate's subject, never the key) on the request's log scope,
/// its span (<c>mnist.caller</c>) and its <c>http.server.request.duration</c> measurement.
/// </summary>
internal sealed class CallerMiddleware(RequestDelegate next, ILogger<CallerMiddleware> logger)
{
    public const string Tag = "mnist.caller";

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity is not { IsAuthenticated: true, Name: { } name })
        {
            await next(context);
            return;
        }

        Activity.Current?.SetTag(Tag, name);
        context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new(Tag, name));
        using (logger.BeginScope(new CallerScope(name)))
        {
            await next(context);
        }
    }
}
