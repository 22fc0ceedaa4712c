namespace Mnist.Grpc.Transcoding;

/// <summary>Settings of the JSON/HTTP front of the gRPC services.</summary>
public sealed class GrpcJsonTranscodingOptions
{
    /// <summary>
    /// The default body cap, 6 MiB: a 4 MiB binary field (the gRPC message limit) base64-encodes to 5.33 MiB,
    /// plus room for the JSON around it. Larger bodies get 413 before they are read.
    /// </summary>
    public const long DefaultMaxRequestBodySize = 6L * 1024 * 1024;

    /// <summary>The largest JSON request body accepted, in bytes.</summary>
    public long MaxRequestBodySize { get; set; } = DefaultMaxRequestBodySize;

    /// <summary>
    /// Whether responses include fields at their default value (<c>"digit": 0</c>, <c>"details": []</c>),
    /// as Microsoft's transcoding does; canonical proto3 JSON omits them.
    /// </summary>
    public bool WriteDefaultValues { get; set; } = true;
}
