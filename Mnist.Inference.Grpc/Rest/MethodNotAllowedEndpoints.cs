using Mnist.Inference.Grpc.Errors;
using Google.Api;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Grpc.Core;

namespace Mnist.Inference.Grpc.Rest;

/// <summary>
/// 405 with <c>Allow</c> and the JSON error body for a path that exists under other verbs. Routing alone answers a
/// wrong verb on a transcoded path with an empty 404 (the gRPC catch-all endpoints also match it); these endpoints,
/// ordered after the real ones, answer instead.
/// </summary>
internal static class MethodNotAllowedEndpoints
{
    /// <summary>One fallback per <c>google.api.http</c> path of <paramref name="service"/>, allowing the verbs the rules name.</summary>
    public static void MapTranscodedMethodNotAllowed(this IEndpointRouteBuilder endpoints, ServiceDescriptor service)
    {
        var rules = service.Methods
            .Select(m => m.GetOptions()?.GetExtension(AnnotationsExtensions.Http))
            .OfType<HttpRule>()
            .SelectMany(rule => rule.AdditionalBindings.Prepend(rule))
            .Select(rule => rule.PatternCase switch
            {
                HttpRule.PatternOneofCase.Get => (Verb: HttpMethods.Get, Path: rule.Get),
                HttpRule.PatternOneofCase.Post => (Verb: HttpMethods.Post, Path: rule.Post),
                HttpRule.PatternOneofCase.Put => (Verb: HttpMethods.Put, Path: rule.Put),
                HttpRule.PatternOneofCase.Delete => (Verb: HttpMethods.Delete, Path: rule.Delete),
                HttpRule.PatternOneofCase.Patch => (Verb: HttpMethods.Patch, Path: rule.Patch),
                _ => (Verb: rule.Custom.Kind, Path: rule.Custom.Path),
            });
        // The contract's templates use plain {field} variables, which route patterns read the same way.
        foreach (var path in rules.GroupBy(r => r.Path))
        {
            endpoints.MapMethodNotAllowed(path.Key, [.. path.Select(r => r.Verb).Distinct()]);
        }
    }

    /// <summary>Maps the fallback for <paramref name="pattern"/>, whose real endpoints accept <paramref name="allowed"/>.</summary>
    public static IEndpointConventionBuilder MapMethodNotAllowed(this IEndpointRouteBuilder endpoints, string pattern, params string[] allowed)
    {
        var allow = string.Join(", ", allowed);
        return endpoints.Map(pattern, context =>
            {
                context.Response.Headers.Allow = allow;
                return JsonError.WriteAsync(context, StatusCode.Unimplemented,
                    $"{context.Request.Method} is not allowed on {context.Request.Path}; use {allow}.", StatusCodes.Status405MethodNotAllowed);
            })
            .WithDisplayName($"405 {pattern}")
            .WithOrder(1);
    }
}
