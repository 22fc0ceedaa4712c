using System.Diagnostics.Metrics;
using Mnist.Inference.Grpc.ModelReload;
using Mnist.Inference.Grpc.Observability;

namespace Mnist.Tests;

/// <summary>
/// The server's instruments for parts tested outside a host. OpenTelemetry listens to meters by name across the
/// process, so these get a name of their own: a server started by a later test must not scrape a batcher or a model
/// store left over from an earlier one.
/// </summary>
internal static class TestMetrics
{
    private static readonly IMeterFactory s_meters = new PrivateMeterFactory();

    public static InferenceMetrics For(ModelStore models) => new(s_meters, () => models.Current?.Version);

    private sealed class PrivateMeterFactory : IMeterFactory
    {
        public Meter Create(MeterOptions options) => new(MnistTelemetry.Name + ".UnitTests." + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
        }
    }
}
