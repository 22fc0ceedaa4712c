using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.Extensions.Options;
using Mnist.Inference.Grpc.Access;
using Mnist.Inference.Grpc.Draining;
using Mnist.Inference.Grpc.Observability;
using Mnist.Inference.Grpc.OpenInference;
using Mnist.Inference.Grpc.Rest;
using Mnist.Inference.Grpc.Routing;
using Mnist.Inference.Grpc.Services;
using Mnist.Inference.Grpc.Tls;

namespace Mnist.Inference.Grpc.Hosting;

/// <summary>
/// Every endpoint and the port it answers on: gRPC, health and reflection on the gRPC port; REST (transcoded and
/// hand-written), the Open Inference Protocol's HTTP API, OpenAPI and the page on the HTTP port; /metrics on its own.
/// </summary>
public static class InferenceEndpoints
{
    public static WebApplication MapInferenceEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var ports = app.Services.GetRequiredService<IOptions<PortOptions>>().Value;
        var tls = app.Services.GetRequiredService<IOptions<TlsOptions>>().Value;
        var telemetry = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;

        // MapGrpcService maps both the gRPC methods and their transcoded HTTP routes: split them by port.
        var onGrpcPort = new LocalPortMetadata(ports.GrpcPort);
        var onHttpPort = new LocalPortMetadata(ports.HttpPort);
        var open = new AllowAnonymousAttribute();
        app.MapGrpcService<MnistService>().WithDrain().Add(endpoint =>
        {
            var transcoded = endpoint.Metadata.OfType<GrpcJsonTranscodingMetadata>().Any();
            endpoint.Metadata.Add(transcoded ? onHttpPort : onGrpcPort);
            // GET /v1/health stays open with keys on, as /healthz does; the gRPC Health method does not.
            if (transcoded && endpoint.Metadata.OfType<GrpcMethodMetadata>().Any(m => m.Method.Name == nameof(MnistService.Health)))
            {
                endpoint.Metadata.Add(open);
            }
        });
        app.MapGrpcService<OpenInferenceService>().WithDrain(nameof(OpenInferenceService.ModelInfer)).RequireLocalPort(ports.GrpcPort);
        OpenInferenceEndpoints.Map(app).RequireLocalPort(ports.HttpPort);

        int[] healthPorts = tls.Enabled && tls.ProbePort > 0 ? [ports.GrpcPort, tls.ProbePort] : [ports.GrpcPort];
        app.MapGrpcHealthChecksService().RequireLocalPort(healthPorts).AllowWithoutKey();
        if (app.Services.GetRequiredService<IOptions<GrpcReflectionOptions>>().Value.Enabled)
        {
            app.MapGrpcReflectionService().RequireLocalPort(ports.GrpcPort);
        }

        app.MapMnistRest().RequireLocalPort(ports.HttpPort);
        if (app.Services.GetRequiredService<IOptions<RestOptions>>().Value.OpenApiEnabled)
        {
            // Documentation of the public API, no data: open when it is on (the manifests turn it off).
            app.MapSwagger().RequireLocalPort(ports.HttpPort).AllowWithoutKey();
        }

        if (telemetry.MetricsEnabled)
        {
            // No key: the metrics port is not public.
            app.MapPrometheusScrapingEndpoint(TelemetryHostingExtensions.MetricsPath).RequireLocalPort(telemetry.MetricsPort).AllowWithoutKey();
        }

        return app;
    }
}
