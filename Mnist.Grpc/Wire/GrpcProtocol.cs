namespace Mnist.Grpc.Wire;

/// <summary>The literals of gRPC over HTTP/2: content type, header and trailer names, framing sizes.</summary>
public static class GrpcProtocol
{
    /// <summary>The content type of every gRPC request and response.</summary>
    public const string ContentType = "application/grpc";
    /// <summary>The trailer carrying the decimal status code.</summary>
    public const string StatusHeader = "grpc-status";
    /// <summary>The trailer carrying the percent-encoded status message.</summary>
    public const string MessageHeader = "grpc-message";
    /// <summary>The request header carrying the call's timeout, e.g. <c>100m</c>.</summary>
    public const string TimeoutHeader = "grpc-timeout";
    /// <summary>The header naming the compression of the sender's messages.</summary>
    public const string EncodingHeader = "grpc-encoding";
    /// <summary>The header listing the compressions the sender can decode.</summary>
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    /// <summary>The <c>te</c> header and its only value.</summary>
    public const string TeHeader = "te";
    /// <summary>The value of <see cref="TeHeader"/>.</summary>
    public const string TeTrailers = "trailers";

    /// <summary>The identity (no) compression.</summary>
    public const string IdentityEncoding = "identity";
    /// <summary>The gzip compression.</summary>
    public const string GzipEncoding = "gzip";
    /// <summary>What this implementation decodes, in <see cref="AcceptEncodingHeader"/> form.</summary>
    public const string SupportedEncodings = "identity,gzip";

    /// <summary>Bytes before each message: 1 compressed flag + 4 big-endian length bytes.</summary>
    public const int MessagePrefixLength = 5;
    /// <summary>The default limit on one received message: 4 MiB.</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>RST_STREAM error code CANCEL (HTTP/2), sent when a deadline expires.</summary>
    internal const int Http2CancelErrorCode = 0x8;
}
