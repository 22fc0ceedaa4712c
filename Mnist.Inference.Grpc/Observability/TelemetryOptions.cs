using System.ComponentModel.DataAnnotations;

namespace Mnist.Inference.Grpc.Observability;

/// <summary>Metrics and where they are scraped. Traces turn on with OpenTelemetry's own OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
public sealed class TelemetryOptions
{
    /// <summary>Prometheus metrics. Off: no endpoint and no listener, so the instruments record nothing.</summary>
    [ConfigurationKeyName("METRICS_ENABLED")]
    public bool MetricsEnabled { get; set; } = true;

    /// <summary>The plaintext HTTP/1.1 port of GET /metrics, and nothing else: never the public HTTP port.</summary>
    [ConfigurationKeyName("METRICS_PORT")]
    [Range(0, 65535)]
    public int MetricsPort { get; set; } = 9090;

    [ConfigurationKeyName("OTEL_EXPORTER_OTLP_ENDPOINT")]
    public string? OtlpEndpoint { get; set; }

    public bool TracingEnabled => !string.IsNullOrWhiteSpace(OtlpEndpoint);
}
