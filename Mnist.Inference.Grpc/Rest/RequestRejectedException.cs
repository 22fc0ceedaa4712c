using Grpc.Core;

namespace Mnist.Inference.Grpc.Rest;

/// <summary>A request refused before the service ran, with an HTTP status of its own (413) and the code of its error body.</summary>
internal sealed class RequestRejectedException(int httpStatus, StatusCode code, string message) : Exception(message)
{
    public int HttpStatus { get; } = httpStatus;

    public StatusCode Code { get; } = code;

    /// <summary>413 with RESOURCE_EXHAUSTED: the body is larger than <paramref name="limit"/> bytes.</summary>
    public static RequestRejectedException TooLarge(long limit) =>
        new(StatusCodes.Status413PayloadTooLarge, StatusCode.ResourceExhausted, $"The request body is larger than the limit of {limit} bytes.");
}
