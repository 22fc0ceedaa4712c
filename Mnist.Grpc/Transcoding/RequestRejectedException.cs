using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Transcoding;

/// <summary>
/// A request refused before any handler ran, with an HTTP status of its own (413 for a body over the limit) and
/// the gRPC code that goes in the error body. <see cref="JsonErrorBoundary"/> answers it.
/// </summary>
public sealed class RequestRejectedException : Exception
{
    /// <summary>Creates the rejection; <paramref name="message"/> is sent to the client.</summary>
    public RequestRejectedException(int httpStatus, StatusCode statusCode, string message)
        : base(message)
    {
        HttpStatus = httpStatus;
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status of the response.</summary>
    public int HttpStatus { get; }

    /// <summary>The code in the error body.</summary>
    public StatusCode StatusCode { get; }

    /// <summary>413 with RESOURCE_EXHAUSTED: the body is larger than <paramref name="limit"/> bytes.</summary>
    public static RequestRejectedException TooLarge(long limit) =>
        new(413, StatusCode.ResourceExhausted, $"The request body is larger than the limit of {limit} bytes.");
}
