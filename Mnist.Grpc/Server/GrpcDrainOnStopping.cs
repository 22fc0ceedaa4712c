using Microsoft.Extensions.Hosting;

namespace Mnist.Grpc.Server;

/// <summary>Flips the server into draining when the host starts stopping.</summary>
internal sealed class GrpcDrainOnStopping(IHostApplicationLifetime lifetime, IGrpcServerLifecycle lifecycle) : IHostedService
{
    private CancellationTokenRegistration _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = lifetime.ApplicationStopping.Register(lifecycle.BeginDraining);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration.Dispose();
        return Task.CompletedTask;
    }
}
