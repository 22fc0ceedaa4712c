namespace Mnist.Inference.Grpc.SecurityHeaders;

public static class SecurityHeadersExtensions
{
    /// <summary>nosniff, frame denial and a CSP on every HTTP response; first, so refusals carry them too.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.UseMiddleware<SecurityHeadersMiddleware>();
}
