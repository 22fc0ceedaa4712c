using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Mnist.Inference.Grpc.Observability;

/// <summary>Registers metrics (Prometheus, unless METRICS_ENABLED=false) and traces (OTLP, only when OTEL_EXPORTER_OTLP_ENDPOINT is set).</summary>
public static class TelemetryHostingExtensions
{
    /// <summary>The Prometheus scrape path on the metrics port.</summary>
    public const string MetricsPath = "/metrics";

    // The built-in meters: request counts and durations by route, method and status (hosting), connections (Kestrel),
    // GC, JIT, thread pool, CPU time and working set (System.Runtime, built into .NET 9 and later).
    private static readonly string[] s_builtInMeters =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime"];

    /// <param name="servedVersion">The model version being served, or null: read at each scrape.</param>
    public static WebApplicationBuilder AddMnistTelemetry(this WebApplicationBuilder builder, TelemetryOptions options, Func<IServiceProvider, Func<string?>> servedVersion)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        builder.Services.AddSingleton(sp => new InferenceMetrics(sp.GetRequiredService<IMeterFactory>(), servedVersion(sp)));
        builder.Services.AddSingleton<TelemetrySilence>();
        if (!options.MetricsEnabled && !options.TracingEnabled)
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

        if (options.TracingEnabled)
        {
            telemetry.WithTracing(traces => traces
                .AddSource(MnistTelemetry.Name)
                // Before the exporter, which skips the spans it marks.
                .AddProcessor(sp => new WarmupSpanFilter(sp.GetRequiredService<TelemetrySilence>()))
                // Scrapes and probes would drown the calls.
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = http => !IsScrapeOrProbe(http.Request.Path))
                .AddOtlpExporter());
        }

        return builder;
    }

    /// <summary>The gRPC status tag on request metrics; first, so calls the drain refuses are tagged too.</summary>
    public static IApplicationBuilder UseGrpcStatusMetrics(this IApplicationBuilder app, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        return options.MetricsEnabled ? app.UseMiddleware<GrpcStatusMetricsMiddleware>() : app;
    }

    private static bool IsScrapeOrProbe(PathString path) =>
        path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/grpc.health.v1.Health")
        || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/health");
}
