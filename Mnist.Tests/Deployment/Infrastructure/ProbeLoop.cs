namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>A probe the kubelet keeps running every period (readiness, liveness), with every result kept.</summary>
internal sealed class ProbeLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<ProbeResult> _results = [];
    private readonly Task _loop;

    public ProbeLoop(KubeletGrpcProbe probe, PortMap ports)
    {
        Probe = probe;
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await probe.RunOnceAsync(ports);
                lock (_results)
                {
                    _results.Add(result);
                }

                await Task.Delay(probe.Period, _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        });
    }

    public KubeletGrpcProbe Probe { get; }

    /// <summary>The longest run of consecutive failures: at failureThreshold the kubelet acts.</summary>
    public int LongestFailureRun(out IReadOnlyList<ProbeResult> results)
    {
        lock (_results)
        {
            results = _results.ToList();
        }

        var longest = 0;
        var current = 0;
        foreach (var result in results)
        {
            current = result.Success ? 0 : current + 1;
            longest = Math.Max(longest, current);
        }

        return longest;
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop.WaitAsync(Probe.Timeout + TimeSpan.FromSeconds(5));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }
}
