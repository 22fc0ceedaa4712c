using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Transcoding;

/// <summary>A request the transcoder refuses before any handler runs, with its own HTTP status (e.g. 413).</summary>
internal sealed class TranscodingRequestException(int httpStatus, StatusCode statusCode, string message) : Exception(message)
{
    public int HttpStatus { get; } = httpStatus;

    public StatusCode StatusCode { get; } = statusCode;
}
