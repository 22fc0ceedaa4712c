using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Transcoding;

/// <summary>
/// Answers 405 (with <c>Allow</c> and the JSON error body) for a path that exists under other methods. Endpoint
/// routing does this itself only when no method-agnostic endpoint (such as the gRPC catch-all
/// <c>{service}/{method}</c>) also matches the path; this endpoint, ordered after the real ones, does it always.
/// </summary>
public static class MethodNotAllowedEndpoint
{
    /// <summary>Maps the fallback for <paramref name="pattern"/>, whose real endpoints accept <paramref name="allowed"/>.</summary>
    public static IEndpointConventionBuilder MapMethodNotAllowed(this IEndpointRouteBuilder endpoints, RoutePattern pattern, IReadOnlyCollection<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(allowed);
        var allow = string.Join(", ", allowed);
        return endpoints.Map(pattern, context =>
            {
                context.Response.Headers.Allow = allow;
                return GrpcJsonError.WriteAsync(context, StatusCode.Unimplemented,
                    $"{context.Request.Method} is not allowed on {context.Request.Path}; use {allow}.", StatusCodes.Status405MethodNotAllowed);
            })
            .WithDisplayName($"405 {pattern.RawText}")
            .WithOrder(1);
    }

    /// <inheritdoc cref="MapMethodNotAllowed(IEndpointRouteBuilder, RoutePattern, IReadOnlyCollection{string})"/>
    public static IEndpointConventionBuilder MapMethodNotAllowed(this IEndpointRouteBuilder endpoints, string pattern, params string[] allowed) =>
        endpoints.MapMethodNotAllowed(RoutePatternFactory.Parse(pattern), allowed);
}
