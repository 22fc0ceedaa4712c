using Microsoft.Extensions.Options;

namespace Mnist.Inference.Grpc.Tls;

/// <summary>
/// Re-reads the PEM files every <c>TLS_POLL_SECONDS</c>: cert-manager rewrites the Secret, and the kubelet swaps the
/// volume's symlink, which file-system events on the files themselves do not report.
/// </summary>
internal sealed class TlsFileWatcher(TlsCertificateStore store, IOptions<TlsOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollSeconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            store.Reload();
        }
    }
}
