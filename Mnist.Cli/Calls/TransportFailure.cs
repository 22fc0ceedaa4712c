using System.Net.Sockets;
using Grpc.Core;

namespace Mnist.Cli.Calls;

/// <summary>Reads why a call never reached the server from the exception Grpc.Net.Client keeps for debugging.</summary>
internal static class TransportFailure
{
    /// <summary>"connection refused" and the like, or null when the server itself answered with the status.</summary>
    public static string? Reason(RpcException error)
    {
        for (var exception = error.Status.DebugException; exception is not null; exception = exception.InnerException)
        {
            if (exception is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
                    SocketError.TimedOut => "connection timed out",
                    SocketError.ConnectionReset => "connection reset",
                    _ => socket.Message,
                };
            }

            if (exception is System.Security.Authentication.AuthenticationException)
            {
                return "TLS handshake failed (is the server's certificate trusted? see --ca-file): " + exception.Message;
            }

            if (exception is HttpRequestException or IOException && exception.InnerException is null)
            {
                return exception.Message;
            }
        }

        return null;
    }
}
