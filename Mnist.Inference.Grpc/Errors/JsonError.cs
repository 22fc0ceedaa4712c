using System.Text.Encodings.Web;
using System.Text.Json;
using Grpc.Core;

namespace Mnist.Inference.Grpc.Errors;

/// <summary>
/// The error body of the hand-written HTTP routes, the same as JSON transcoding's: a <c>google.rpc.Status</c> as JSON,
/// <c>{"code": 3, "message": "...", "details": []}</c>, with the HTTP status transcoding maps the code to.
/// </summary>
internal static class JsonError
{
    /// <summary>The content type of every JSON response.</summary>
    public const string ContentType = "application/json; charset=utf-8";

    /// <summary>Quotes and non-ASCII stay readable (<c>'</c> rather than <c>\u0027</c>): the body is JSON, not HTML.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the error with the mapped HTTP status, or <paramref name="httpStatus"/> when given (413, 405).</summary>
    public static async Task WriteAsync(HttpContext context, StatusCode code, string message, int? httpStatus = null)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = httpStatus ?? HttpStatusOf(code);
        response.ContentType = ContentType;
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("code", (int)code);
            writer.WriteString("message", message);
            writer.WriteStartArray("details");
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    /// <summary>gRPC status to HTTP status as Microsoft's JSON transcoding maps it (google/rpc/code.proto, but CANCELLED is 408).</summary>
    public static int HttpStatusOf(StatusCode code) => code switch
    {
        StatusCode.OK => StatusCodes.Status200OK,
        StatusCode.Cancelled => StatusCodes.Status408RequestTimeout,
        StatusCode.InvalidArgument or StatusCode.FailedPrecondition or StatusCode.OutOfRange => StatusCodes.Status400BadRequest,
        StatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.AlreadyExists or StatusCode.Aborted => StatusCodes.Status409Conflict,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        StatusCode.Unimplemented => StatusCodes.Status501NotImplemented,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };
}
