using Mnist.Inference.Grpc.Errors;
using System.Globalization;
using Grpc.Core;
using Microsoft.Net.Http.Headers;
using Mnist.Inference.Grpc.Rest;

namespace Mnist.Inference.Grpc.Rejections;

/// <summary>
/// Refuses a call before any endpoint runs, in the caller's protocol: a gRPC call gets a trailers-only response
/// (HTTP 200, <c>grpc-status</c> in the only HEADERS frame, which ends the stream), so clients read the precise code;
/// a bare HTTP 401/429/503 would reach them as UNAVAILABLE or UNKNOWN. Anything else gets the JSON error body.
/// </summary>
internal static class CallRejection
{
    /// <summary>gRPC's retry pushback header (A6): how long a client that retries should wait.</summary>
    public const string RetryPushbackHeader = "grpc-retry-pushback-ms";

    /// <summary>True for gRPC calls (application/grpc, +proto, +json).</summary>
    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// RESOURCE_EXHAUSTED that says when to come back: gRPC's retry pushback (A6, <c>grpc-retry-pushback-ms</c>), so a
    /// client that retries waits this long, or REST's 429 with <c>Retry-After</c> (whole seconds, at least 1).
    /// </summary>
    /// <param name="message">Plain ASCII without '%', so it travels in grpc-message as is.</param>
    public static Task WriteRetryLaterAsync(HttpContext context, string message, TimeSpan wait)
    {
        if (IsGrpc(context.Request))
        {
            context.Response.Headers[RetryPushbackHeader] = PushbackMilliseconds(wait);
        }
        else
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds(wait);
        }

        return WriteAsync(context, StatusCode.ResourceExhausted, message);
    }

    /// <summary>A wait as <c>Retry-After</c>'s value: whole seconds, at least 1.</summary>
    public static string RetryAfterSeconds(TimeSpan wait) =>
        Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Makes every 429 of a REST call say when to come back. Refusals raised past admission (no decode slot, a full
    /// batch queue) are RpcExceptions whose pushback travels in gRPC trailers; JSON transcoding and the error boundary
    /// turn them into a bare 429, so the header is added as the response starts.
    /// </summary>
    public static void AddRetryAfterTo429(HttpResponse response) => response.OnStarting(s_addRetryAfter, response);

    private static readonly Func<object, Task> s_addRetryAfter = static state =>
    {
        var response = (HttpResponse)state;
        if (response.StatusCode == StatusCodes.Status429TooManyRequests && !response.Headers.ContainsKey(HeaderNames.RetryAfter))
        {
            response.Headers.RetryAfter = RetryAfterSeconds(Statuses.RetryAfter);
        }

        return Task.CompletedTask;
    };

    /// <summary>A wait as the pushback header's value: whole milliseconds, at least 1.</summary>
    public static string PushbackMilliseconds(TimeSpan wait) =>
        Math.Max(1, (long)Math.Ceiling(wait.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);

    /// <param name="message">Plain ASCII without '%', so it travels in grpc-message as is.</param>
    public static Task WriteAsync(HttpContext context, StatusCode code, string message)
    {
        if (!IsGrpc(context.Request))
        {
            return JsonError.WriteAsync(context, code, message);
        }

        var response = context.Response;
        if (response.HasStarted)
        {
            return Task.CompletedTask;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)code).ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = message;
        return Task.CompletedTask;
    }
}
