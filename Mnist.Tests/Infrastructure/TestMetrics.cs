using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Mnist.Inference.Grpc.Models;
using Mnist.Inference.Grpc.Observability;

namespace Mnist.Tests;

/// <summary>The server's instruments for parts tested outside a host (their own meter factory, nobody listening).</summary>
internal static class TestMetrics
{
    private static readonly IMeterFactory s_meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>();

    public static InferenceMetrics For(ModelStore models) => new(s_meters, models);
}
