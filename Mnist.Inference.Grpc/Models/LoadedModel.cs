using Mnist.Model.Inference;

namespace Mnist.Inference.Grpc.Models;

/// <summary>
/// A model ready to serve: its predictor and the version clients see (sha256 of model.dat). Its native tensors
/// are freed once the store has replaced it and the last batch using it has finished: the store holds one lease
/// from <see cref="ModelStore.Publish"/> on, every forward holds another for its duration.
/// </summary>
public sealed class LoadedModel
{
    private int _leases = 1;

    public LoadedModel(MnistPredictor predictor, string version, DateTimeOffset loadedAt)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        Predictor = predictor;
        Version = version;
        LoadedAt = loadedAt;
    }

    public MnistPredictor Predictor { get; }

    public string Version { get; }

    public DateTimeOffset LoadedAt { get; }

    /// <summary>Takes a lease for one use; false once the model is retired and freed (take the store's current one instead).</summary>
    public bool TryAcquire()
    {
        var leases = Volatile.Read(ref _leases);
        while (leases > 0)
        {
            var seen = Interlocked.CompareExchange(ref _leases, leases + 1, leases);
            if (seen == leases)
            {
                return true;
            }

            leases = seen;
        }

        return false;
    }

    /// <summary>Gives a lease back; the last one frees the network.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _leases) == 0)
        {
            Predictor.Dispose();
        }
    }
}
