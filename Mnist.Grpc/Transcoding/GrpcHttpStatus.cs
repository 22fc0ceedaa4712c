using Microsoft.AspNetCore.Http;
using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Transcoding;

/// <summary>gRPC status to HTTP status, as Microsoft's JSON transcoding maps them (google/rpc/code.proto, except CANCELLED is 408).</summary>
public static class GrpcHttpStatus
{
    /// <summary>The HTTP status for <paramref name="statusCode"/>; unknown codes are 500.</summary>
    public static int FromStatusCode(StatusCode statusCode) => statusCode switch
    {
        StatusCode.OK => StatusCodes.Status200OK,
        StatusCode.Cancelled => StatusCodes.Status408RequestTimeout,
        StatusCode.Unknown => StatusCodes.Status500InternalServerError,
        StatusCode.InvalidArgument => StatusCodes.Status400BadRequest,
        StatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.AlreadyExists => StatusCodes.Status409Conflict,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        // Deliberately 400, not 412: the client must change the request or the system's state.
        StatusCode.FailedPrecondition => StatusCodes.Status400BadRequest,
        StatusCode.Aborted => StatusCodes.Status409Conflict,
        StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
        StatusCode.Unimplemented => StatusCodes.Status501NotImplemented,
        StatusCode.Internal => StatusCodes.Status500InternalServerError,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        StatusCode.DataLoss => StatusCodes.Status500InternalServerError,
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        _ => StatusCodes.Status500InternalServerError,
    };
}
