using System.Net.Http;
using System.Net.Sockets;
using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Client;

/// <summary>Turns transport exceptions into the gRPC status a client reports.</summary>
internal static class TransportErrors
{
    public static GrpcStatusException ToStatus(Exception exception, Uri address)
    {
        var target = $"{address.Host}:{address.Port}";
        if (FindInner<HttpProtocolException>(exception) is { } protocol)
        {
            // The stream was reset: RST_STREAM error codes per the gRPC HTTP/2 spec.
            var code = protocol.ErrorCode switch
            {
                0x7 => StatusCode.Unavailable,
                0x8 => StatusCode.Cancelled,
                0xb => StatusCode.ResourceExhausted,
                0xc => StatusCode.PermissionDenied,
                _ => StatusCode.Internal,
            };
            return new GrpcStatusException(code, $"The server at {target} reset the stream (HTTP/2 error 0x{protocol.ErrorCode:x}).", exception);
        }

        if (FindInner<SocketException>(exception) is { } socket)
        {
            var reason = socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostNotFound or SocketError.NoData => "host not found",
                SocketError.TimedOut => "connection timed out",
                SocketError.ConnectionReset => "connection reset",
                _ => socket.Message,
            };
            return new GrpcStatusException(StatusCode.Unavailable, $"cannot reach the server at {target}: {reason}", exception);
        }

        if (exception is HttpRequestException or IOException)
        {
            return new GrpcStatusException(StatusCode.Unavailable, $"the connection to {target} failed: {exception.Message}", exception);
        }

        return new GrpcStatusException(StatusCode.Internal, $"the call to {target} failed: {exception.Message}", exception);
    }

    private static T? FindInner<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T match)
            {
                return match;
            }
        }

        return null;
    }
}
