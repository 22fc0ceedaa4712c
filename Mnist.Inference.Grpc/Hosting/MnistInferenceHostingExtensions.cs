using Mnist.Inference.Grpc.Classification;
using Grpc.AspNetCore.HealthChecks;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authorization;
using Mnist.Inference.Grpc.Access;
using Mnist.Inference.Grpc.RateLimiting;
using Mnist.Inference.Grpc.SecurityHeaders;
using Mnist.Inference.Grpc.Tls;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Mnist.Inference.Grpc.Batching;
using Mnist.Inference.Grpc.Draining;
using Mnist.Inference.Grpc.ModelReload;
using Mnist.Inference.Grpc.Observability;
using Mnist.Inference.Grpc.OpenInference;
using Mnist.Inference.Grpc.Rest;
using Mnist.Inference.Grpc.Services;
using Mnist.Inference.Grpc.TestSet;
using Mnist.Model.Imaging;

using Mnist.Inference.Grpc.Routing;

namespace Mnist.Inference.Grpc.Hosting;

/// <summary>How Program.cs wires the inference server: registration, then endpoints.</summary>
public static class MnistInferenceHostingExtensions
{
    /// <summary>Registers options, the model store and its watcher, the test set, the services and Kestrel's two ports.</summary>
    public static WebApplicationBuilder AddMnistInference(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<ServerOptions>()
            .Bind(builder.Configuration)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var options = builder.Configuration.Get<ServerOptions>() ?? new ServerOptions();
        var tls = builder.Configuration.Get<TlsOptions>() ?? new TlsOptions();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // HTTP/2 only: cleartext HTTP/2 with prior knowledge (h2c, as grpc-go and the kubelet speak it) is off on mixed endpoints.
            kestrel.ListenAnyIP(options.GrpcPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.Use(listen.ApplicationServices.GetRequiredService<ServerDrain>().RefuseNewConnections);
                listen.UseMnistTls(tls);
            });
            // With TLS, ALPN picks h2 or HTTP/1.1; in clear, HTTP/1.1 only (see above).
            kestrel.ListenAnyIP(options.HttpPort, listen =>
            {
                listen.Protocols = tls.Enabled ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
                listen.UseMnistTls(tls);
            });
            if (tls.Enabled && tls.ProbePort > 0)
            {
                // The kubelet's gRPC probe cannot speak TLS: grpc.health.v1 alone, in clear, on its own port.
                kestrel.ListenAnyIP(tls.ProbePort, listen => listen.Protocols = HttpProtocols.Http2);
            }

            if (options.MetricsEnabled)
            {
                kestrel.ListenAnyIP(options.MetricsPort, listen => listen.Protocols = HttpProtocols.Http1);
            }

            kestrel.AddServerHeader = false;
        });
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(options.DrainSeconds));

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
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ServerOptions>>().Value;
            return new DigitImageReader(new ImageLimits(options.MaxImageSide, options.MaxImageSide, options.MaxImagePixels));
        });
        services.AddSingleton<DigitClassifier>();
        // One instance for gRPC, transcoded REST and the original services' routes.
        services.AddSingleton<MnistService>();
        services.AddSingleton<OpenInferenceHandler>();

        services.AddGrpc()
            .AddJsonTranscoding()
            .AddServiceOptions<MnistService>(mnist => mnist.Interceptors.Add<DrainInterceptor>())
            .AddServiceOptions<OpenInferenceService>(inference => inference.Interceptors.Add<DrainInterceptor>());
        if (options.GrpcReflectionEnabled)
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
        builder.AddMnistTelemetry(options);
        builder.AddMnistAccess();
        builder.AddMnistRateLimiting();
        builder.AddMnistTls();
        return builder;
    }

    /// <summary>Maps gRPC, health and reflection onto the gRPC port only; REST (transcoded and hand-written) onto the HTTP port only.</summary>
    public static WebApplication MapMnistInference(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var tls = app.Services.GetRequiredService<IOptions<TlsOptions>>().Value;
        app.UseMnistTelemetry();
        app.UseSecurityHeaders();
        app.UseServerDrain();
        if (app.Services.GetRequiredService<IOptions<RestOptions>>().Value.OpenApiEnabled)
        {
            app.MapMnistOpenApi(options.HttpPort);
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseCallerName();
        app.UseRateLimiter();
        // MapGrpcService maps both the gRPC methods and their transcoded HTTP routes: split them by port.
        var onGrpcPort = new LocalPortMetadata(options.GrpcPort);
        var onHttpPort = new LocalPortMetadata(options.HttpPort);
        var open = new AllowAnonymousAttribute();
        app.MapGrpcService<MnistService>().Add(endpoint =>
        {
            var transcoded = endpoint.Metadata.OfType<GrpcJsonTranscodingMetadata>().Any();
            endpoint.Metadata.Add(transcoded ? onHttpPort : onGrpcPort);
            // GET /v1/health stays open with keys on, as /healthz does; the gRPC Health method does not.
            if (transcoded && endpoint.Metadata.OfType<GrpcMethodMetadata>().Any(m => m.Method.Name == nameof(MnistService.Health)))
            {
                endpoint.Metadata.Add(open);
            }
        });
        app.MapGrpcService<OpenInferenceService>().RequireLocalPort(options.GrpcPort);
        OpenInferenceEndpoints.Map(app).RequireLocalPort(options.HttpPort);
        int[] healthPorts = tls.Enabled && tls.ProbePort > 0 ? [options.GrpcPort, tls.ProbePort] : [options.GrpcPort];
        app.MapGrpcHealthChecksService().RequireLocalPort(healthPorts).AllowWithoutKey();
        if (options.GrpcReflectionEnabled)
        {
            app.MapGrpcReflectionService().RequireLocalPort(options.GrpcPort);
        }

        app.MapMnistRest().RequireLocalPort(options.HttpPort);
        app.MapMnistTelemetry(options.MetricsPort);
        return app;
    }
}
