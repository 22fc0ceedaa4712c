using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mnist.Grpc.Server;

/// <summary>Registers the gRPC wire layer and services.</summary>
public static class GrpcServiceCollectionExtensions
{
    /// <summary>
    /// Adds the dispatcher, the service registry, <see cref="IGrpcServerLifecycle"/> (drains on
    /// ApplicationStopping) and validated <see cref="GrpcServerOptions"/>.
    /// </summary>
    public static IServiceCollection AddGrpcWire(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<GrpcServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.MaxReceiveMessageSize > 0, $"{nameof(GrpcServerOptions.MaxReceiveMessageSize)} must be a positive number of bytes.")
            .ValidateOnStart();
        services.AddRouting();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IGrpcServerLifecycle, GrpcServerLifecycle>();
        services.TryAddSingleton<GrpcServerRuntime>();
        services.TryAddSingleton<GrpcServiceRegistry>();
        services.AddHostedService<GrpcDrainOnStopping>();
        return services;
    }

    /// <summary>As <see cref="AddGrpcWire(IServiceCollection, Action{GrpcServerOptions})"/>, with options bound from a configuration section (e.g. <c>Grpc</c>).</summary>
    public static IServiceCollection AddGrpcWire(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddGrpcWire();
        services.AddOptions<GrpcServerOptions>().Bind(configuration);
        return services;
    }

    /// <summary>Registers a service; the factory runs once, when the registry is first needed.</summary>
    public static IServiceCollection AddGrpcService(this IServiceCollection services, Func<IServiceProvider, GrpcServiceDefinition> factory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(factory);
        services.AddSingleton(factory);
        return services;
    }

    /// <summary>
    /// Registers a service whose handlers live on <typeparamref name="TService"/> (resolved from DI, so
    /// register it too), e.g. <c>AddGrpcService&lt;MnistGrpcService&gt;(s =&gt; s.CreateDefinition())</c>.
    /// </summary>
    public static IServiceCollection AddGrpcService<TService>(this IServiceCollection services, Func<TService, GrpcServiceDefinition> define)
        where TService : notnull
    {
        ArgumentNullException.ThrowIfNull(define);
        return services.AddGrpcService(provider => define(provider.GetRequiredService<TService>()));
    }
}
