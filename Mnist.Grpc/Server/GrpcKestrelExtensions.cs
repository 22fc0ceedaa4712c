using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Mnist.Grpc.Server;

/// <summary>Kestrel endpoints for gRPC.</summary>
public static class GrpcKestrelExtensions
{
    /// <summary>
    /// Listens on every address at <paramref name="port"/> with HTTP/2 only: cleartext HTTP/2 (h2c
    /// prior knowledge, as grpc-go and the kubelet speak it) is disabled on mixed HTTP/1+2 endpoints.
    /// </summary>
    public static KestrelServerOptions ListenGrpc(this KestrelServerOptions options, int port)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        options.ListenAnyIP(port, listen => listen.Protocols = HttpProtocols.Http2);
        return options;
    }
}
