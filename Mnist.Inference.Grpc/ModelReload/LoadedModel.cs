using Mnist.Inference.Grpc.ModelCards;
using Mnist.Model;
using Mnist.Model.Inference;

namespace Mnist.Inference.Grpc.ModelReload;

/// <summary>
/// A model ready to serve: its predictor, the version clients see (sha256 of model.dat) and its model card, read
/// together so the card always describes these weights. Its native tensors
/// are freed once the store has replaced it and the last batch using it has finished: the store holds one lease
/// from <see cref="ModelStore.Publish"/> on, every forward holds another for its duration.
/// </summary>
public sealed class LoadedModel
{
    private int _leases = 1;

    /// <param name="card">The model card, or null with <paramref name="cardProblem"/> saying why there is none.</param>
    public LoadedModel(MnistPredictor predictor, string version, ModelCard? card = null, string? cardProblem = null)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        Predictor = predictor;
        Version = version;
        Card = card;
        CardProblem = card is null ? cardProblem ?? "no model card was read" : null;
    }

    public MnistPredictor Predictor { get; }

    public string Version { get; }

    /// <summary>The card of exactly these weights; null when the trainer wrote none or it could not be read.</summary>
    public ModelCard? Card { get; }

    /// <summary>Why <see cref="Card"/> is null; null when there is a card.</summary>
    public string? CardProblem { get; }

    /// <summary>Forwards run by <see cref="WarmUp"/> before the model was published; 0 when warm-up is off.</summary>
    public int WarmupForwards { get; private set; }

    /// <summary>
    /// Runs a few forwards of one image and of a full batch, so libtorch's kernels and the JIT are ready before the
    /// first client's call. Call before publishing; an exception means the model cannot serve.
    /// </summary>
    public void WarmUp(int maxBatchSize)
    {
        const int Rounds = 3;
        var pixels = new byte[maxBatchSize * MnistShape.PixelCount];
        var probabilities = new float[maxBatchSize * MnistShape.ClassCount];
        foreach (var size in maxBatchSize == 1 ? [1] : new[] { 1, maxBatchSize })
        {
            for (var i = 0; i < Rounds; i++)
            {
                Predictor.Predict(pixels.AsSpan(0, size * MnistShape.PixelCount), probabilities.AsSpan(0, size * MnistShape.ClassCount));
                WarmupForwards++;
            }
        }
    }

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
