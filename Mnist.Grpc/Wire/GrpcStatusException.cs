namespace Mnist.Grpc.Wire;

/// <summary>
/// A gRPC status other than OK. Handlers throw it to end a call with that status (its
/// <see cref="Detail"/> becomes <c>grpc-message</c>); the client throws it when a call fails.
/// </summary>
public sealed class GrpcStatusException : Exception
{
    /// <summary>Creates the exception for <paramref name="statusCode"/> with a human-readable detail.</summary>
    public GrpcStatusException(StatusCode statusCode, string detail)
        : this(statusCode, detail, null)
    {
    }

    /// <summary>Creates the exception, keeping the local cause (never sent to the peer).</summary>
    public GrpcStatusException(StatusCode statusCode, string detail, Exception? innerException)
        : base($"Status({statusCode}, \"{detail}\")", innerException)
    {
        ArgumentNullException.ThrowIfNull(detail);
        StatusCode = statusCode;
        Detail = detail;
    }

    /// <summary>The status code.</summary>
    public StatusCode StatusCode { get; }

    /// <summary>The status message as sent or received in <c>grpc-message</c>.</summary>
    public string Detail { get; }
}
