using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mnist.Grpc.Server;

namespace Mnist.Grpc.Health;

/// <summary>Registers grpc.health.v1.</summary>
public static class HealthServiceCollectionExtensions
{
    /// <summary>Adds the <see cref="HealthStatusRegistry"/> singleton and the Health service.</summary>
    public static IServiceCollection AddGrpcHealth(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<HealthStatusRegistry>();
        services.TryAddSingleton<HealthService>();
        return services.AddGrpcService(provider => provider.GetRequiredService<HealthService>().CreateDefinition());
    }
}
