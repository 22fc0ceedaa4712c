using System.Security.Claims;

namespace Mnist.Inference.Grpc.Access;

/// <summary>The principal of a named caller, and how it proved who it is.</summary>
internal static class Callers
{
    public const string ApiKeyMethod = "api-key";
    public const string CertificateMethod = "certificate";

    public static ClaimsPrincipal Named(string name, string method) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.AuthenticationMethod, method)], CallerAuthenticationHandler.SchemeName));
}
