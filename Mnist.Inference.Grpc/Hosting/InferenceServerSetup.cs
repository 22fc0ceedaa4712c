using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Mnist.Inference.Grpc.Access;
using Mnist.Inference.Grpc.Admission;
using Mnist.Inference.Grpc.Batching;
using Mnist.Inference.Grpc.Classification;
using Mnist.Inference.Grpc.Configuration;
using Mnist.Inference.Grpc.Draining;
using Mnist.Inference.Grpc.ModelReload;
using Mnist.Inference.Grpc.Observability;
using Mnist.Inference.Grpc.OpenInference;
using Mnist.Inference.Grpc.RateLimiting;
using Mnist.Inference.Grpc.Rest;
using Mnist.Inference.Grpc.Routing;
using Mnist.Inference.Grpc.Services;
using Mnist.Inference.Grpc.TestSet;
using Mnist.Inference.Grpc.Tls;
using Mnist.Model.Imaging;

namespace Mnist.Inference.Grpc.Hosting;

/// <summary>The composition root's registrations: every feature's options and services, and Kestrel's listeners.</summary>
public static class InferenceServerSetup
{
    public static WebApplicationBuilder AddInferenceServer(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var ports = builder.AddValidatedOptions<PortOptions>();
        var telemetry = builder.AddValidatedOptions<TelemetryOptions>();
        var drain = builder.AddValidatedOptions<DrainOptions>();
        var reflection = builder.AddValidatedOptions<GrpcReflectionOptions>();
        builder.AddValidatedOptions<ModelReloadOptions>();
        builder.AddValidatedOptions<TestSetOptions>();
        builder.AddValidatedOptions<BatchingOptions>();
        var images = builder.AddValidatedOptions<ImageOptions>();
        var tls = builder.AddMnistTls();

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // HTTP/2 only: cleartext HTTP/2 with prior knowledge (h2c, as grpc-go and the kubelet speak it) is off on mixed endpoints.
            kestrel.ListenAnyIP(ports.GrpcPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.Use(LingeringClose.Middleware);
                listen.Use(listen.ApplicationServices.GetRequiredService<ServerDrain>().RefuseNewConnections);
                listen.UseMnistTls(tls);
            });
            // With TLS, ALPN picks h2 or HTTP/1.1; in clear, HTTP/1.1 only (see above).
            kestrel.ListenAnyIP(ports.HttpPort, listen =>
            {
                listen.Protocols = tls.Enabled ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
                listen.UseMnistTls(tls);
            });
            if (tls.Enabled && tls.ProbePort > 0)
            {
                // The kubelet's gRPC probe cannot speak TLS: grpc.health.v1 alone, in clear, on its own port.
                kestrel.ListenAnyIP(tls.ProbePort, listen => listen.Protocols = HttpProtocols.Http2);
            }

            if (telemetry.MetricsEnabled)
            {
                kestrel.ListenAnyIP(telemetry.MetricsPort, listen => listen.Protocols = HttpProtocols.Http1);
            }

            kestrel.AddServerHeader = false;
        });
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(drain.DrainSeconds));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ServerDrain>();
        services.AddHostedService<DrainOnShutdown>();
        services.AddSingleton<ModelStore>();
        services.AddSingleton<ModelFileLoader>();
        // Before the watcher: its start-up load must already reach the health statuses.
        services.AddHostedService<ServingStatusPublisher>();
        services.AddHostedService<ModelDirectoryWatcher>();
        services.AddMnistBatching();
        services.AddSingleton<TestSampleSet>();
        services.AddSingleton(new DigitImageReader(images.Limits));
        services.AddSingleton<DigitClassifier>();
        // One instance for gRPC, transcoded REST and the original services' routes.
        services.AddSingleton<MnistService>();
        services.AddSingleton<OpenInferenceHandler>();
        // After the batcher (hosted services start in order) and before Kestrel, which starts after them all.
        services.AddHostedService<RequestPathWarmup>();

        services.AddGrpc()
            .AddJsonTranscoding()
            .AddServiceOptions<MnistService>(mnist => mnist.Interceptors.Add<DrainInterceptor>())
            .AddServiceOptions<OpenInferenceService>(inference => inference.Interceptors.Add<DrainInterceptor>());
        if (reflection.Enabled)
        {
            services.AddGrpcReflection();
        }

        services.AddLocalPortRouting();
        services.AddGrpcHealthChecks(health =>
        {
            // Statuses are pushed by ServingStatusPublisher as the model and the drain change, so Check and Watch are
            // exact; ASP.NET Core health checks (polled) map to nothing. The package still ends Watch calls on shutdown.
            health.Services.Clear();
            health.UseHealthChecksCache = true;
        });
        builder.AddMnistRest();
        builder.AddMnistTelemetry(telemetry, sp =>
        {
            var models = sp.GetRequiredService<ModelStore>();
            return () => models.Current?.Version;
        });
        builder.AddMnistAccess();
        builder.AddMnistRateLimiting();
        builder.AddMnistAdmission();
        return builder;
    }
}
