using Microsoft.Extensions.Options;

namespace Mnist.Inference.Grpc.Admission;

/// <summary>
/// The calls admitted at once and the request bytes they hold, each under its bound. Lock-free: a refusal must cost
/// less than the call it turns away.
/// </summary>
public sealed class AdmissionGate(IOptions<AdmissionOptions> options)
{
    private readonly int _maxCalls = options.Value.MaxConcurrentCalls;
    private readonly long _maxBytes = options.Value.MaxAdmittedRequestBytes;
    private int _calls;
    private long _bytes;

    /// <summary>Calls admitted now.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Request bytes the admitted calls hold now.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Admits one call holding <paramref name="bytes"/>, or nothing (false) when either bound would be passed.</summary>
    public bool TryEnter(long bytes)
    {
        if (Interlocked.Increment(ref _calls) > _maxCalls)
        {
            Interlocked.Decrement(ref _calls);
            return false;
        }

        if (TryReserve(bytes, held: 0))
        {
            return true;
        }

        Interlocked.Decrement(ref _calls);
        return false;
    }

    /// <summary>More bytes for an admitted call that holds <paramref name="held"/> already (its body's length was not declared).</summary>
    public bool TryReserve(long bytes, long held)
    {
        var current = Interlocked.Read(ref _bytes);
        while (true)
        {
            // A call alone may always hold its body: the per-route body limits bound it, and it must be able to run.
            if (current + bytes > _maxBytes && current > held)
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _bytes, current + bytes, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }
    }

    /// <summary>Ends an admitted call and frees the <paramref name="bytes"/> it held.</summary>
    public void Exit(long bytes)
    {
        Interlocked.Add(ref _bytes, -bytes);
        Interlocked.Decrement(ref _calls);
    }
}
