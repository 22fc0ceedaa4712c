using Microsoft.AspNetCore.Http;

namespace Mnist.Grpc.Server;

/// <summary>
/// What a handler knows about its call: cancellation (fires on deadline and on client cancel), the
/// deadline, request headers, the peer, and trailers it may add to the response.
/// </summary>
public sealed class GrpcCallContext
{
    private readonly System.Net.IPAddress? _remoteAddress;
    private readonly int _remotePort;
    private HeaderDictionary? _responseTrailers;
    private string? _peer;

    /// <summary>Creates a context; also how callers outside gRPC (e.g. REST transcoding) invoke handlers.</summary>
    public GrpcCallContext(string method, IHeaderDictionary requestHeaders, string peer, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(requestHeaders);
        ArgumentNullException.ThrowIfNull(peer);
        Method = method;
        RequestHeaders = requestHeaders;
        _peer = peer;
        Deadline = deadline;
        CancellationToken = cancellationToken;
    }

    // The peer string is only built if a handler asks for it: the unary path stays lean.
    internal GrpcCallContext(string method, HttpContext httpContext, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        Method = method;
        RequestHeaders = httpContext.Request.Headers;
        // Captured now (the HttpContext is recycled after the call), formatted only if asked for.
        _remoteAddress = httpContext.Connection.RemoteIpAddress;
        _remotePort = httpContext.Connection.RemotePort;
        Deadline = deadline;
        CancellationToken = cancellationToken;
    }

    /// <summary>The gRPC path of the method, e.g. <c>/mnist.v1.Mnist/Predict</c>.</summary>
    public string Method { get; }

    /// <summary>The request headers (custom metadata included); valid only while the call runs.</summary>
    public IHeaderDictionary RequestHeaders { get; }

    /// <summary>The client's address, <c>ipv4:1.2.3.4:5678</c> / <c>ipv6:[::1]:5678</c> style.</summary>
    public string Peer => _peer ??= FormatPeer(_remoteAddress, _remotePort);

    /// <summary>When the call must be done by, or null for none.</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>Fires when the deadline passes or the client cancels.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Trailers sent with the status (lowercase names; <c>grpc-</c> names are reserved).</summary>
    public IHeaderDictionary ResponseTrailers => _responseTrailers ??= new HeaderDictionary();

    internal bool HasResponseTrailers => _responseTrailers is { Count: > 0 };

    /// <summary>A context for a plain HTTP request that invokes a gRPC handler (e.g. REST transcoding).</summary>
    public static GrpcCallContext FromHttpContext(HttpContext httpContext, string method, DateTimeOffset? deadline = null)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return new GrpcCallContext(method, httpContext, deadline, httpContext.RequestAborted);
    }

    private static string FormatPeer(System.Net.IPAddress? address, int port) => address switch
    {
        null => "unknown",
        { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } => $"ipv6:[{address}]:{port}",
        _ => $"ipv4:{address}:{port}",
    };
}
