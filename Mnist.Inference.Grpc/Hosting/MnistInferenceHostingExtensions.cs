using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Mnist.Grpc.Health;
using Mnist.Grpc.Reflection;
using Mnist.Grpc.Server;
using Mnist.Inference.Grpc.Batching;
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
            kestrel.ListenGrpc(options.GrpcPort);
            kestrel.ListenAnyIP(options.HttpPort, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.AddServerHeader = false;
        });
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(options.DrainSeconds));

        services.AddSingleton(TimeProvider.System);
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
        services.AddSingleton<MnistService>();

        services.AddGrpcWire();
        services.AddGrpcHealth();
        services.AddGrpcReflection();
        services.AddGrpcService<MnistService>(mnist => mnist.CreateDefinition());
        builder.AddMnistRest();
        return builder;
    }

    /// <summary>Maps gRPC onto the gRPC port only.</summary>
    public static WebApplication MapMnistInference(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        app.MapGrpcServices().RequireHost($"*:{options.GrpcPort}");
        app.MapMnistRest().RequireHost($"*:{options.HttpPort}");
        return app;
    }
}
