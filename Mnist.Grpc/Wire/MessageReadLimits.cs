namespace Mnist.Grpc.Wire;

/// <summary>What a message reader accepts: size limit, the peer's declared compression, and which side it reads (for errors).</summary>
internal readonly record struct MessageReadLimits(int MaxMessageSize, string? Encoding, string Direction);
