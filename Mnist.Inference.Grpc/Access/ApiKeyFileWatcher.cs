using Microsoft.Extensions.Options;

namespace Mnist.Inference.Grpc.Access;

/// <summary>
/// Re-reads the keys file every <c>API_KEYS_POLL_SECONDS</c>. Polling rather than file-system events: a Kubernetes
/// Secret volume swaps a symlink to a new directory, which inotify on the file itself never reports.
/// </summary>
internal sealed class ApiKeyFileWatcher(ApiKeyStore store, IOptions<AccessOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.ApiKeysPollSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            store.Reload();
        }
    }
}
