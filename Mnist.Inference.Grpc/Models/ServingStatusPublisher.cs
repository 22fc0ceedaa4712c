using Grpc.Health.V1;
using Mnist.Grpc.Health;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Mnist.Inference.Grpc.Models;

/// <summary>
/// Mirrors the model store into grpc.health.v1 (what Kubernetes probes): NOT_SERVING until a model is loaded,
/// SERVING while one is, NOT_SERVING again from the moment the host starts stopping.
/// </summary>
public sealed class ServingStatusPublisher(ModelStore store, HealthStatusRegistry health, IHostApplicationLifetime lifetime) : IHostedService
{
    /// <summary>The names probes may ask about: the whole server and the Mnist service.</summary>
    public static readonly string[] ServiceNames = ["", "mnist.v1.Mnist"];

    private CancellationTokenRegistration _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        store.Changed += OnModelChanged;
        OnModelChanged(store.Current);
        _stopping = lifetime.ApplicationStopping.Register(() =>
        {
            store.Changed -= OnModelChanged;
            Publish(ServingStatus.NotServing);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Dispose();
        return Task.CompletedTask;
    }

    private void OnModelChanged(LoadedModel? model) => Publish(model is null ? ServingStatus.NotServing : ServingStatus.Serving);

    private void Publish(ServingStatus status)
    {
        foreach (var name in ServiceNames)
        {
            health.SetStatus(name, status);
        }
    }
}
