using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Server;

/// <summary>Server settings (bind from configuration, e.g. section <c>Grpc</c>).</summary>
public sealed class GrpcServerOptions
{
    /// <summary>The largest request message accepted, in bytes (after decompression); default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;
}
