namespace Mnist.Inference.Grpc.ModelReload;

/// <summary>
/// The model currently serving. Users lease the current model for each use (<see cref="LoadedModel.TryAcquire"/>),
/// so a swap never fails or mixes two models within a batch, and the replaced model is freed only after its last
/// batch has finished.
/// </summary>
public sealed class ModelStore
{
    private LoadedModel? _current;

    /// <summary>Raised after <see cref="Current"/> changes.</summary>
    public event Action<LoadedModel?>? Changed;

    public LoadedModel? Current => Volatile.Read(ref _current);

    /// <summary>Why there is no model, for health messages; null while one is loaded.</summary>
    public string? UnavailableReason { get; private set; } = "no model loaded yet";

    public void Publish(LoadedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var previous = Interlocked.Exchange(ref _current, model);
        UnavailableReason = null;
        Changed?.Invoke(model);
        // The store's own lease on the old model; batches still using it hold theirs.
        previous?.Release();
    }

    /// <summary>
    /// Leases the current model for one use, or returns null when none is loaded. Release it when done.
    /// </summary>
    public LoadedModel? AcquireCurrent()
    {
        while (Current is { } model)
        {
            if (model.TryAcquire())
            {
                return model;
            }

            // Retired between the read and the lease: a newer one is already current.
        }

        return null;
    }

    /// <summary>Records why no model could be loaded; a model already serving keeps serving.</summary>
    public void ReportUnavailable(string reason)
    {
        if (Current is null)
        {
            UnavailableReason = reason;
        }
    }
}
