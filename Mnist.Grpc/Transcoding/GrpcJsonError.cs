using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Transcoding;

/// <summary>
/// The one error writer of the HTTP side: a <c>google.rpc.Status</c> as JSON,
/// <c>{"code": 3, "message": "...", "details": []}</c>, with the HTTP status mapped by <see cref="GrpcHttpStatus"/>.
/// </summary>
public static class GrpcJsonError
{
    /// <summary>The content type of every JSON response.</summary>
    public const string ContentType = "application/json; charset=utf-8";

    /// <summary>
    /// JSON writer settings for bodies served as application/json: quotes and non-ASCII stay readable
    /// (<c>'</c> rather than <c>\u0027</c>); the escaping of HTML-sensitive characters is for JSON inside HTML.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Writes the error with the mapped HTTP status (or <paramref name="httpStatus"/> when given, e.g. 413).
    /// Does nothing when the response has already started: the client then sees a truncated body.
    /// </summary>
    public static async Task WriteAsync(HttpContext context, StatusCode statusCode, string message, int? httpStatus = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(message);
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = httpStatus ?? GrpcHttpStatus.FromStatusCode(statusCode);
        response.ContentType = ContentType;
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("code", (int)statusCode);
            writer.WriteString("message", message);
            writer.WriteStartArray("details");
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
