using System.Security.Claims;

namespace Mnist.Inference.Grpc.Access;

/// <summary>One line of the keys file: the caller's name and the SHA-256 of its key (the key itself is not kept).</summary>
internal sealed record ApiKey(string Name, byte[] Hash)
{
    /// <summary>The caller this key names, made once per key rather than once per call; never modified.</summary>
    public ClaimsPrincipal Caller { get; } = Callers.Named(Name, Callers.ApiKeyMethod);
}
