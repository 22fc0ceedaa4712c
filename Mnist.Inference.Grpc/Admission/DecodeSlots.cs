using Mnist.Inference.Grpc.Errors;
using Microsoft.Extensions.Options;

namespace Mnist.Inference.Grpc.Admission;

/// <summary>
/// At most DECODE_SLOTS image decodes at once, each of which may take what MAX_IMAGE_PIXELS allows: the bound that
/// makes the memory of decodes a product of two settings. A call waits briefly for a slot, then is refused with
/// RESOURCE_EXHAUSTED; it never queues without bound.
/// </summary>
public sealed class DecodeSlots(IOptions<AdmissionOptions> options) : IDisposable
{
    private readonly int _count = options.Value.DecodeSlots;
    private readonly TimeSpan _wait = options.Value.DecodeSlotWait;
    private readonly SemaphoreSlim _slots = new(options.Value.DecodeSlots, options.Value.DecodeSlots);

    /// <summary>Decodes running now.</summary>
    public int InUse => _count - _slots.CurrentCount;

    /// <summary>Takes a slot, to be given back by disposing the lease once the decoded picture is released.</summary>
    /// <exception cref="Grpc.Core.RpcException">RESOURCE_EXHAUSTED: no slot came free within DECODE_SLOT_WAIT_MILLISECONDS.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while waiting.</exception>
    public async ValueTask<Lease> EnterAsync(CancellationToken cancellationToken)
    {
        if (!_slots.Wait(0, CancellationToken.None) && !await _slots.WaitAsync(_wait, cancellationToken))
        {
            throw Statuses.NoDecodeSlot(_count, _wait);
        }

        return new Lease(_slots);
    }

    public void Dispose() => _slots.Dispose();

    /// <summary>A decode slot held; disposing it gives the slot back.</summary>
    public readonly struct Lease(SemaphoreSlim slots) : IDisposable
    {
        public void Dispose() => slots.Release();
    }
}
