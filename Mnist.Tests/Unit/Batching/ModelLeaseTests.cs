using Mnist.Inference.Grpc.ModelReload;
using Mnist.Model.Inference;

namespace Mnist.Tests.Unit.Batching;

[Category("Unit")]
public class ModelLeaseTests
{
    [Test]
    public void Publish_WhileTheOldModelIsLeased_FreesItOnlyAfterTheLastRelease()
    {
        var store = new ModelStore();
        var old = Model("old");
        store.Publish(old);
        var lease = store.AcquireCurrent();

        store.Publish(Model("new"));

        Assert.That(lease, Is.SameAs(old));
        Assert.That(store.AcquireCurrent()?.Version, Is.EqualTo("new"));
        Assert.That(old.TryAcquire(), Is.True, "still alive while a batch holds it");
        old.Release();
        old.Release();
        Assert.That(old.TryAcquire(), Is.False, "freed after its last batch");
    }

    [Test]
    public void AcquireCurrent_NoModel_ReturnsNull() => Assert.That(new ModelStore().AcquireCurrent(), Is.Null);

    private static LoadedModel Model(string version) =>
        new(new MnistPredictor(NetWeights.Seeded(1)), version);
}
