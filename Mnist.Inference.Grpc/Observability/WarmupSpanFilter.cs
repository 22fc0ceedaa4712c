using System.Diagnostics;
using OpenTelemetry;

namespace Mnist.Inference.Grpc.Observability;

/// <summary>While the server warms itself up, nobody's call is running: its spans are marked not recorded, so no exporter sends them.</summary>
internal sealed class WarmupSpanFilter(TelemetrySilence silence) : BaseProcessor<Activity>
{
    public override void OnStart(Activity data)
    {
        if (silence.IsSilent)
        {
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            data.IsAllDataRequested = false;
        }
    }
}

/// <summary>
/// Set while the server runs calls of its own (the start-up warm-up, before Kestrel listens): their spans are dropped.
/// One per server, so servers sharing a process (tests) do not silence each other.
/// </summary>
public sealed class TelemetrySilence
{
    private volatile bool _silent;

    public bool IsSilent => _silent;

    public IDisposable Begin()
    {
        _silent = true;
        return new End(this);
    }

    private sealed class End(TelemetrySilence silence) : IDisposable
    {
        public void Dispose() => silence._silent = false;
    }
}
