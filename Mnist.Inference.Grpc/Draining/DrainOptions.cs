using System.ComponentModel.DataAnnotations;

namespace Mnist.Inference.Grpc.Draining;

/// <summary>How long in-flight calls may take to finish after SIGTERM (the host's shutdown timeout).</summary>
public sealed class DrainOptions
{
    [ConfigurationKeyName("DRAIN_SECONDS")]
    [Range(0, 300)]
    public double DrainSeconds { get; set; } = 10;
}
