using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Mnist.Grpc.Server;

namespace Mnist.Grpc.Reflection;

/// <summary>Registers server reflection.</summary>
public static class ReflectionServiceCollectionExtensions
{
    /// <summary>Adds grpc.reflection.v1 and v1alpha describing every service in the <see cref="GrpcServiceRegistry"/>.</summary>
    public static IServiceCollection AddGrpcReflection(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(provider =>
            new ReflectionService(() => provider.GetRequiredService<GrpcServiceRegistry>().Services.Select(s => s.Descriptor)));
        services.AddGrpcService(provider => provider.GetRequiredService<ReflectionService>().CreateV1Definition());
        services.AddGrpcService(provider => provider.GetRequiredService<ReflectionService>().CreateV1AlphaDefinition());
        return services;
    }
}
