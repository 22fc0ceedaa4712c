using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Transcoding;

internal static partial class GrpcJsonTranscodingLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Error, Message = "Unhandled exception transcoding {HttpMethod} {Path} to {GrpcMethod}; answering 500.")]
    public static partial void HandlerFailed(ILogger logger, string httpMethod, PathString path, string grpcMethod, Exception exception);

    [LoggerMessage(EventId = 102, Level = LogLevel.Debug, Message = "{HttpMethod} {Path} ended with {StatusCode} (HTTP {HttpStatus}): {Detail}")]
    public static partial void CallFailed(ILogger logger, string httpMethod, PathString path, StatusCode statusCode, int httpStatus, string detail);

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "{HttpMethod} {Path} was cancelled by the client.")]
    public static partial void CallCancelled(ILogger logger, string httpMethod, PathString path, Exception exception);

    [LoggerMessage(EventId = 104, Level = LogLevel.Debug, Message = "Mapped {HttpMethod} {Template} to {GrpcMethod}.")]
    public static partial void RouteMapped(ILogger logger, string httpMethod, string template, string grpcMethod);
}
