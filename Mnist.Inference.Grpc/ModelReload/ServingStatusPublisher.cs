using Grpc.HealthCheck;
using Mnist.Inference.Grpc.Draining;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Mnist.Inference.Grpc.ModelReload;

/// <summary>
/// Mirrors the model store into grpc.health.v1 (what Kubernetes probes): NOT_SERVING until a model is loaded,
/// SERVING while one is, NOT_SERVING again from the moment the drain begins.
/// </summary>
public sealed class ServingStatusPublisher(ModelStore store, HealthServiceImpl health, ServerDrain drain) : IHostedService
{
    /// <summary>The names probes may ask about: the whole server and the Mnist service.</summary>
    public static readonly string[] ServiceNames = ["", "mnist.v1.Mnist"];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        store.Changed += OnModelChanged;
        drain.Started += OnDrainStarted;
        OnModelChanged(store.Current);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        store.Changed -= OnModelChanged;
        drain.Started -= OnDrainStarted;
        return Task.CompletedTask;
    }

    private void OnDrainStarted()
    {
        store.Changed -= OnModelChanged;
        Publish(ServingStatus.NotServing);
    }

    private void OnModelChanged(LoadedModel? model) =>
        Publish(model is null || drain.IsDraining ? ServingStatus.NotServing : ServingStatus.Serving);

    private void Publish(ServingStatus status)
    {
        foreach (var name in ServiceNames)
        {
            health.SetStatus(name, status);
        }
    }
}
