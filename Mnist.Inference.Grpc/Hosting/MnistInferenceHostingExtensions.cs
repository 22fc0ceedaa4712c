using Grpc.AspNetCore.HealthChecks;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Mnist.Inference.Grpc.Batching;
using Mnist.Inference.Grpc.Draining;
using Mnist.Inference.Grpc.Models;
using Mnist.Inference.Grpc.Rest;
using Mnist.Inference.Grpc.Services;
using Mnist.Inference.Grpc.TestSet;
using Mnist.Model.Imaging;

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
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // HTTP/2 only: cleartext HTTP/2 with prior knowledge (h2c, as grpc-go and the kubelet speak it) is off on mixed endpoints.
            kestrel.ListenAnyIP(options.GrpcPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.Use(listen.ApplicationServices.GetRequiredService<ServerDrain>().RefuseNewConnections);
            });
            kestrel.ListenAnyIP(options.HttpPort, listen => listen.Protocols = HttpProtocols.Http1);
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
            var side = sp.GetRequiredService<IOptions<ServerOptions>>().Value.MaxImageSide;
            return new DigitImageReader(new ImageLimits(side, side));
        });
        // One instance for gRPC, transcoded REST and the seeds' routes.
        services.AddSingleton<MnistService>();

        services.AddGrpc()
            .AddJsonTranscoding()
            .AddServiceOptions<MnistService>(mnist => mnist.Interceptors.Add<DrainInterceptor>());
        services.AddGrpcReflection();
        services.AddLocalPortRouting();
        services.AddGrpcHealthChecks(health =>
        {
            // Statuses are pushed by ServingStatusPublisher as the model and the drain change, so Check and Watch are
            // exact; ASP.NET Core health checks (polled) map to nothing. The package still ends Watch calls on shutdown.
            health.Services.Clear();
            health.UseHealthChecksCache = true;
        });
        builder.AddMnistRest();
        return builder;
    }

    /// <summary>Maps gRPC, health and reflection onto the gRPC port only; REST (transcoded and hand-written) onto the HTTP port only.</summary>
    public static WebApplication MapMnistInference(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        app.UseServerDrain();
        // MapGrpcService maps both the gRPC methods and their transcoded HTTP routes: split them by port.
        var onGrpcPort = new LocalPortMetadata(options.GrpcPort);
        var onHttpPort = new LocalPortMetadata(options.HttpPort);
        app.MapGrpcService<MnistService>().Add(endpoint => endpoint.Metadata.Add(
            endpoint.Metadata.OfType<GrpcJsonTranscodingMetadata>().Any() ? onHttpPort : onGrpcPort));
        app.MapGrpcHealthChecksService().RequireLocalPort(options.GrpcPort);
        app.MapGrpcReflectionService().RequireLocalPort(options.GrpcPort);
        app.MapMnistRest().RequireLocalPort(options.HttpPort);
        app.MapMnistOpenApi(options.HttpPort);
        return app;
    }
}
