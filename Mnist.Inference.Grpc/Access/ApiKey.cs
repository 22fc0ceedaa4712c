namespace Mnist.Inference.Grpc.Access;

/// <summary>One line of the keys file: the caller's name and the SHA-256 of its key (the key itself is not kept).</summary>
internal sealed record ApiKey(string Name, byte[] Hash);
