using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mnist.Grpc.Server;

namespace Mnist.Grpc.Transcoding;

/// <summary>JSON/HTTP transcoding of the registered unary gRPC methods, driven by their <c>google.api.http</c> options.</summary>
public static class GrpcJsonTranscodingExtensions
{
    /// <summary>Registers validated <see cref="GrpcJsonTranscodingOptions"/>.</summary>
    public static IServiceCollection AddGrpcJsonTranscoding(this IServiceCollection services, Action<GrpcJsonTranscodingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<GrpcJsonTranscodingOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.MaxRequestBodySize > 0, $"{nameof(GrpcJsonTranscodingOptions.MaxRequestBodySize)} must be a positive number of bytes.")
            .ValidateOnStart();
        return services;
    }

    /// <summary>
    /// Maps one endpoint per HttpRule and additional binding of every unary method in the
    /// <see cref="GrpcServiceRegistry"/>. Unmatched paths fall through (404), wrong verbs get 405. Returns a builder
    /// for conventions such as <c>RequireHost("*:8080")</c>. An invalid rule fails here, at start-up.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcJsonTranscoding(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var registry = endpoints.ServiceProvider.GetRequiredService<GrpcServiceRegistry>();
        var options = endpoints.ServiceProvider.GetService<IOptions<GrpcJsonTranscodingOptions>>()?.Value ?? new GrpcJsonTranscodingOptions();
        var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GrpcJsonTranscodingExtensions).Namespace!);
        var group = endpoints.MapGroup("");
        var routes = registry.UnaryMethods.SelectMany(TranscodedRoute.For).ToList();
        foreach (var route in routes)
        {
            var handler = new TranscodedRouteHandler(route, options, logger);
            var endpoint = group.Map(route.Pattern, handler.HandleAsync);
            if (route.HttpMethod is { } verb)
            {
                endpoint.WithMetadata(new HttpMethodMetadata([verb]));
            }

            endpoint.WithDisplayName($"{route.HttpMethod ?? "*"} {route.Template.Text} -> {route.Method.Path}");
            GrpcJsonTranscodingLog.RouteMapped(logger, route.HttpMethod ?? "*", route.Template.Text, route.Method.Path);
        }

        // Paths whose every route names its method get a 405 for the others.
        foreach (var samePath in routes.GroupBy(r => r.Template.Text).Where(g => g.All(r => r.HttpMethod is not null)))
        {
            group.MapMethodNotAllowed(samePath.First().Pattern, [.. samePath.Select(r => r.HttpMethod!).Distinct()]);
        }

        return group;
    }
}
