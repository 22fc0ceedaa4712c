namespace Mnist.Inference.Grpc.OpenInference;

/// <summary>The protocol's element type names that the mnist model takes or gives, and their sizes in raw contents.</summary>
internal static class TensorDataTypes
{
    public const string Fp32 = "FP32";
    public const string Uint8 = "UINT8";
    public const string Int64 = "INT64";
    public const string Bytes = "BYTES";

    /// <summary>In raw contents each BYTES element is a 4-byte little-endian length, then that many bytes (Triton's layout, which tritonclient writes).</summary>
    public const int BytesLengthPrefix = sizeof(uint);
}
