using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Transcoding;

/// <summary>
/// The one place an HTTP/JSON endpoint turns a failure into a response: a gRPC status or a client mistake
/// becomes its <see cref="GrpcJsonError"/>; anything else is logged and answered 500 without its text.
/// </summary>
public static class JsonErrorBoundary
{
    /// <summary>Runs <paramref name="endpoint"/>; <paramref name="operation"/> (e.g. the gRPC path) names it in logs.</summary>
    public static async Task RunAsync(HttpContext context, ILogger logger, string operation, Func<Task> endpoint)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(endpoint);
        var request = context.Request;
        try
        {
            await endpoint().ConfigureAwait(false);
        }
        catch (Exception exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client is gone: nobody reads a status.
            GrpcJsonTranscodingLog.CallCancelled(logger, request.Method, request.Path, exception);
        }
        catch (Exception exception)
        {
            var (statusCode, message, httpStatus) = Classify(exception);
            var status = httpStatus ?? GrpcHttpStatus.FromStatusCode(statusCode);
            if (statusCode is StatusCode.Unknown)
            {
                GrpcJsonTranscodingLog.HandlerFailed(logger, request.Method, request.Path, operation, exception);
            }
            else
            {
                GrpcJsonTranscodingLog.CallFailed(logger, request.Method, request.Path, statusCode, status, message);
            }

            await GrpcJsonError.WriteAsync(context, statusCode, message, httpStatus).ConfigureAwait(false);
        }
    }

    private static (StatusCode Code, string Message, int? HttpStatus) Classify(Exception exception) => exception switch
    {
        GrpcStatusException status => (status.StatusCode, status.Detail, null),
        RequestRejectedException refused => (refused.StatusCode, refused.Message, refused.HttpStatus),
        InvalidJsonException json => (StatusCode.InvalidArgument, $"Request JSON payload is not correctly formatted: {json.Message}", null),
        InvalidProtocolBufferException proto => (StatusCode.InvalidArgument, $"Request JSON payload does not match the message: {proto.Message}", null),
        BadHttpRequestException bad => (StatusCode.InvalidArgument, "The HTTP request is malformed.", bad.StatusCode),
        _ => (StatusCode.Unknown, "Exception was thrown by handler.", null),
    };
}
