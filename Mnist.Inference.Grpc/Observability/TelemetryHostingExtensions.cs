using Microsoft.Extensions.Options;
using Mnist.Inference.Grpc.Access;
using Mnist.Inference.Grpc.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

using Mnist.Inference.Grpc.Routing;

namespace Mnist.Inference.Grpc.Observability;

/// <summary>Registers metrics (Prometheus at GET /metrics, unless METRICS_ENABLED=false) and traces (OTLP, only when OTEL_EXPORTER_OTLP_ENDPOINT is set).</summary>
public static class TelemetryHostingExtensions
{
    /// <summary>The Prometheus scrape path on the metrics port.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The OpenTelemetry variable that turns tracing on (the exporter reads it and its OTEL_EXPORTER_OTLP_* siblings itself).</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    // The built-in meters: request counts and durations by route, method and status (hosting), connections (Kestrel),
    // GC, JIT, thread pool, CPU time and working set (System.Runtime, built into .NET 9 and later).
    private static readonly string[] s_builtInMeters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime"];

    public static WebApplicationBuilder AddMnistTelemetry(this WebApplicationBuilder builder, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.Services.AddSingleton<InferenceMetrics>();
        var tracing = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]);
        if (!options.MetricsEnabled && !tracing)
        {
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName: "mnist-inference", autoGenerateServiceInstanceId: true));
        if (options.MetricsEnabled)
        {
            telemetry.WithMetrics(metrics => metrics
                .AddMeter(MnistTelemetry.Name)
                .AddMeter(s_builtInMeters)
                .AddPrometheusExporter());
        }

        if (tracing)
        {
            telemetry.WithTracing(traces => traces
                .AddSource(MnistTelemetry.Name)
                // Scrapes and probes would drown the calls.
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = http => !IsScrapeOrProbe(http.Request.Path))
                .AddOtlpExporter());
        }

        return builder;
    }

    /// <summary>The gRPC status tag on request metrics; first, so calls the drain refuses are tagged too.</summary>
    public static WebApplication UseMnistTelemetry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.MetricsEnabled)
        {
            app.UseMiddleware<GrpcStatusMetricsMiddleware>();
        }

        return app;
    }

    /// <summary>GET /metrics on the metrics port only, when metrics are on; no key (the port is not public).</summary>
    public static WebApplication MapMnistTelemetry(this WebApplication app, int metricsPort)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.MetricsEnabled)
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath).RequireLocalPort(metricsPort).AllowWithoutKey();
        }

        return app;
    }

    private static bool IsScrapeOrProbe(PathString path) =>
        path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/grpc.health.v1.Health")
        || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/health");
}
