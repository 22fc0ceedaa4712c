using Grpc.Core;
using Microsoft.Extensions.Options;
using Mnist.Inference.Grpc.Admission;

namespace Mnist.Tests.Unit.Admission;

[Category("Unit")]
public class DecodeSlotsTests
{
    [Test]
    public async Task EnterAsync_AllSlotsHeldPastTheWait_ResourceExhaustedNamingTheLimit()
    {
        using var slots = new DecodeSlots(Options.Create(new AdmissionOptions { DecodeSlots = 2, DecodeSlotWaitMilliseconds = 20 }));
        using var first = await slots.EnterAsync(CancellationToken.None);
        using var second = await slots.EnterAsync(CancellationToken.None);

        var e = Assert.ThrowsAsync<RpcException>(async () => await slots.EnterAsync(CancellationToken.None));

        Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
        Assert.That(e.Status.Detail, Does.Contain("2 images at once (DECODE_SLOTS)").And.Contain("20 ms"));
        Assert.That(e.Trailers.GetValue("grpc-retry-pushback-ms"), Is.Not.Null);
        Assert.That(slots.InUse, Is.EqualTo(2));
    }

    [Test]
    public async Task EnterAsync_SlotFreedWithinTheWait_Admitted()
    {
        using var slots = new DecodeSlots(Options.Create(new AdmissionOptions { DecodeSlots = 1, DecodeSlotWaitMilliseconds = 10_000 }));
        var first = await slots.EnterAsync(CancellationToken.None);

        var waiting = slots.EnterAsync(CancellationToken.None).AsTask();
        first.Dispose();
        using var second = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.That(slots.InUse, Is.EqualTo(1));
    }

    [Test]
    public async Task EnterAsync_CallCancelledWhileWaiting_CancelledAndNoSlotTaken()
    {
        using var slots = new DecodeSlots(Options.Create(new AdmissionOptions { DecodeSlots = 1, DecodeSlotWaitMilliseconds = 10_000 }));
        using var first = await slots.EnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        Assert.That(async () => await slots.EnterAsync(cancel.Token), Throws.InstanceOf<OperationCanceledException>());
        Assert.That(slots.InUse, Is.EqualTo(1));
    }
}
