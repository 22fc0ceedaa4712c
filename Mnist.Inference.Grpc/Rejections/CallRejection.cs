using System.Globalization;
using Grpc.Core;
using Mnist.Inference.Grpc.Rest;

namespace Mnist.Inference.Grpc.Rejections;

/// <summary>
/// Refuses a call before any endpoint runs, in the caller's protocol: a gRPC call gets a trailers-only response
/// (HTTP 200, <c>grpc-status</c> in the only HEADERS frame, which ends the stream), so clients read the precise code;
/// a bare HTTP 401/429/503 would reach them as UNAVAILABLE or UNKNOWN. Anything else gets the JSON error body.
/// </summary>
internal static class CallRejection
{
    /// <summary>True for gRPC calls (application/grpc, +proto, +json).</summary>
    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

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
