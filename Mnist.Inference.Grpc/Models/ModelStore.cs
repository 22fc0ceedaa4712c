namespace Mnist.Inference.Grpc.Models;

/// <summary>
/// The model currently serving. Readers take one reference per request, so a swap never fails or mixes
/// two models within a call; the old predictor is simply left to the garbage collector.
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
        Volatile.Write(ref _current, model);
        UnavailableReason = null;
        Changed?.Invoke(model);
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
