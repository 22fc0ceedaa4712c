using System.ComponentModel.DataAnnotations;

namespace Mnist.Inference.Grpc.Hosting;

/// <summary>The server's two public ports (<c>GRPC_PORT</c>, <c>HTTP_PORT</c>); the metrics and probe ports belong to their features.</summary>
public sealed class PortOptions
{
    public const int DefaultGrpcPort = 50051;
    public const int DefaultHttpPort = 8080;

    /// <summary>The HTTP/2-only port that serves gRPC (h2c, or h2 with TLS).</summary>
    [ConfigurationKeyName("GRPC_PORT")]
    [Range(0, 65535)]
    public int GrpcPort { get; set; } = DefaultGrpcPort;

    /// <summary>The port of REST, the web page and HTTP probes (HTTP/1.1; HTTP/1.1 and h2 with TLS).</summary>
    [ConfigurationKeyName("HTTP_PORT")]
    [Range(0, 65535)]
    public int HttpPort { get; set; } = DefaultHttpPort;
}
