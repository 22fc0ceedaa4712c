using Microsoft.Extensions.Options;

namespace Mnist.Inference.Grpc.Draining;

/// <summary>
/// Drains before Kestrel stops: <see cref="StoppingAsync"/> runs ahead of every hosted service's StopAsync, the
/// web server's included, so Kestrel keeps its connections (and answers UNAVAILABLE) until the calls in flight
/// have finished, and only then sends GOAWAY. Bounded by DRAIN_SECONDS (the host's shutdown timeout).
/// </summary>
internal sealed class DrainOnShutdown(ServerDrain drain, IHostApplicationLifetime lifetime, IOptions<DrainOptions> options, ILogger<DrainOnShutdown> logger)
    : IHostedLifecycleService
{
    private CancellationTokenRegistration _stopping;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // SIGTERM raises ApplicationStopping before the host calls StoppingAsync: begin at the earlier of the two.
        _stopping = lifetime.ApplicationStopping.Register(drain.Begin);
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        drain.Begin();
        DrainLog.Draining(logger, options.Value.DrainSeconds);
        try
        {
            await drain.WaitForIdleAsync(cancellationToken).ConfigureAwait(false);
            DrainLog.Drained(logger);
            drain.BeginClosing();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            DrainLog.DrainTimedOut(logger, options.Value.DrainSeconds);
            drain.BeginClosing();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Dispose();
        return Task.CompletedTask;
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
