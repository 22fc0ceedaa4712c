namespace Mnist.Grpc.Server;

/// <summary>The call shapes the server dispatches.</summary>
public enum GrpcMethodType
{
    /// <summary>One request, one response.</summary>
    Unary,
    /// <summary>One request, a stream of responses.</summary>
    ServerStreaming,
    /// <summary>A stream of requests and a stream of responses, concurrently.</summary>
    DuplexStreaming,
}
