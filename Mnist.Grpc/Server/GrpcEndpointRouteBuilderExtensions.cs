using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Mnist.Grpc.Server.CallHandlers;

namespace Mnist.Grpc.Server;

/// <summary>Maps the registered gRPC services onto endpoint routing.</summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps one POST endpoint per bound method (path from the descriptor) plus a catch-all for gRPC
    /// requests to unknown services or methods (Trailers-Only UNIMPLEMENTED). Returns a builder for
    /// conventions such as <c>RequireHost("*:50051")</c>.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcServices(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var registry = endpoints.ServiceProvider.GetRequiredService<GrpcServiceRegistry>();
        var runtime = endpoints.ServiceProvider.GetRequiredService<GrpcServerRuntime>();
        var builders = new List<IEndpointConventionBuilder>();
        foreach (var service in registry.Services)
        {
            foreach (var method in service.Methods)
            {
                var handler = method.CreateCallHandler(runtime);
                builders.Add(endpoints.MapPost(method.Path, handler.HandleAsync).WithDisplayName($"gRPC {method.Path}"));
            }
        }

        // A RouteValueDictionary, not an anonymous object: the latter is read by reflection, which trimming (the CLI's single-file publish) flags.
        var pattern = RoutePatternFactory.Parse("{service}/{method}", defaults: null, parameterPolicies: new RouteValueDictionary { ["service"] = new GrpcRequestConstraint(registry) });
        // No HttpMethodMetadata here: routing decides the verb before it checks constraints, so POST-only metadata
        // would turn every two-segment path on any port into a 405. The constraint admits gRPC requests only.
        builders.Add(endpoints.Map(pattern, context =>
        {
            if (!HttpMethods.IsPost(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                context.Response.Headers.Allow = HttpMethods.Post;
                return Task.CompletedTask;
            }

            var service = (string)context.Request.RouteValues["service"]!;
            var detail = registry.TryGetService(service, out _) ? "Method is unimplemented." : "Service is unimplemented.";
            return new UnimplementedCallHandler(context.Request.Path, detail, runtime).HandleAsync(context);
        }).WithDisplayName("gRPC unimplemented"));
        return new CompositeConventionBuilder(builders);
    }

    private sealed class CompositeConventionBuilder(List<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var builder in builders)
            {
                builder.Add(convention);
            }
        }

        public void Finally(Action<EndpointBuilder> finallyConvention)
        {
            foreach (var builder in builders)
            {
                builder.Finally(finallyConvention);
            }
        }
    }
}
