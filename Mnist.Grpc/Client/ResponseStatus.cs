using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Client;

/// <summary>Reads the gRPC status from a response: Trailers-Only headers, trailers, or one synthesized from HTTP.</summary>
internal static class ResponseStatus
{
    /// <summary>The status the response headers already decide, or null when messages and trailers follow.</summary>
    public static GrpcStatusException? FromHeaders(HttpResponseMessage response)
    {
        if (TryRead(response.Headers, out var trailersOnly))
        {
            return trailersOnly;
        }

        if (response.Version < HttpVersion.Version20)
        {
            return new GrpcStatusException(StatusCode.Internal, $"The response came over HTTP/{response.Version}; gRPC requires HTTP/2.");
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            var code = (int)response.StatusCode;
            return new GrpcStatusException(FromHttpStatus(code), $"The server answered HTTP {code} {response.ReasonPhrase} instead of a gRPC response.");
        }

        var contentType = response.Content.Headers.ContentType?.MediaType;
        if (contentType is null || !contentType.StartsWith(GrpcProtocol.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return new GrpcStatusException(StatusCode.Unknown, $"The server answered with Content-Type '{contentType}', not {GrpcProtocol.ContentType}.");
        }

        return null;
    }

    /// <summary>The status from the trailers, read after the body ended.</summary>
    public static GrpcStatusException FromTrailers(HttpResponseMessage response) =>
        TryRead(response.TrailingHeaders, out var status)
            ? status
            : new GrpcStatusException(StatusCode.Unknown, $"The response ended without {GrpcProtocol.StatusHeader}.");

    private static bool TryRead(HttpHeaders headers, out GrpcStatusException status)
    {
        status = null!;
        if (!headers.NonValidated.TryGetValues(GrpcProtocol.StatusHeader, out var values))
        {
            return false;
        }

        var message = headers.NonValidated.TryGetValues(GrpcProtocol.MessageHeader, out var messages)
            ? GrpcMessageEncoding.Decode(messages.ToString())
            : string.Empty;
        status = int.TryParse(values.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 0 and <= 16
            ? new GrpcStatusException((StatusCode)code, message)
            : new GrpcStatusException(StatusCode.Unknown, $"Unparsable {GrpcProtocol.StatusHeader} '{values}': {message}");
        return true;
    }

    // grpc/doc/http-grpc-status-mapping.md: only for responses that carry no grpc-status.
    internal static StatusCode FromHttpStatus(int httpStatus) => httpStatus switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        431 => StatusCode.Internal,
        _ => StatusCode.Unknown,
    };
}
