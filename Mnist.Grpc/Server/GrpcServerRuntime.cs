using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Mnist.Grpc.Server;

/// <summary>What every call handler shares: settings, drain flag, logger, clock.</summary>
internal sealed class GrpcServerRuntime(IOptions<GrpcServerOptions> options, IGrpcServerLifecycle lifecycle, ILoggerFactory loggerFactory, TimeProvider timeProvider)
{
    public GrpcServerOptions Options { get; } = options.Value;
    public IGrpcServerLifecycle Lifecycle { get; } = lifecycle;
    public ILogger Logger { get; } = loggerFactory.CreateLogger("Mnist.Grpc.Server");
    public TimeProvider TimeProvider { get; } = timeProvider;
}
