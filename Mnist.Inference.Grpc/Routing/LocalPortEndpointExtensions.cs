using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mnist.Inference.Grpc.Routing;

/// <summary>Registration and conventions of <see cref="LocalPortMatcherPolicy"/>.</summary>
internal static class LocalPortEndpointExtensions
{
    public static IServiceCollection AddLocalPortRouting(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, LocalPortMatcherPolicy>());
        return services;
    }

    /// <summary>The endpoints answer only on connections to one of <paramref name="ports"/>.</summary>
    public static TBuilder RequireLocalPort<TBuilder>(this TBuilder builder, params int[] ports)
        where TBuilder : IEndpointConventionBuilder
    {
        var metadata = new LocalPortMetadata(ports);
        builder.Add(endpoint => endpoint.Metadata.Add(metadata));
        return builder;
    }
}
