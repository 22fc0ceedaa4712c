using System.Diagnostics.Metrics;

namespace Mnist.Inference.Grpc.Observability;

/// <summary>
/// The server's own instruments, on one meter (<see cref="MnistTelemetry.Name"/>) made by the host's
/// <see cref="IMeterFactory"/>. Recording allocates nothing: tags are cached structs, and with no listener
/// (METRICS_ENABLED=false) every call returns at once.
/// </summary>
public sealed class InferenceMetrics
{
    private static readonly KeyValuePair<string, object?>[] s_digitTags =
        [.. Enumerable.Range(0, 10).Select(d => new KeyValuePair<string, object?>("digit", d.ToString(System.Globalization.CultureInfo.InvariantCulture)))];

    private static readonly KeyValuePair<string, object?> s_loaded = new("outcome", "loaded");
    private static readonly KeyValuePair<string, object?> s_failed = new("outcome", "failed");

    private readonly Counter<long> _predictions;
    private readonly Histogram<double> _confidence;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _queueWait;
    private readonly Counter<long> _modelLoads;
    private volatile bool _paused;

    /// <param name="servedVersion">The model version being served, or null; read at each scrape.</param>
    public InferenceMetrics(IMeterFactory meterFactory, Func<string?> servedVersion)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        ArgumentNullException.ThrowIfNull(servedVersion);
        var meter = meterFactory.Create(MnistTelemetry.Name);
        _predictions = meter.CreateCounter<long>("mnist.predictions", "{prediction}", "Predictions answered, by predicted digit");
        _confidence = meter.CreateHistogram("mnist.prediction.confidence", unit: null,
            description: "Probability of the predicted digit",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999] });
        _batchSize = meter.CreateHistogram("mnist.batch.size", "{image}", "Images per forward pass of the dynamic batcher",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });
        _queueWait = meter.CreateHistogram("mnist.batch.queue_wait", "s", "Time a call waited in the batcher's queue before its forward pass began",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1] });
        _modelLoads = meter.CreateCounter<long>("mnist.model.loads", "{load}", "Model files loaded (outcome=loaded) or refused (outcome=failed)");
        // Observed only while a model serves: after a hot reload the old version's series is gone from the next scrape.
        meter.CreateObservableGauge("mnist.model.info", () => servedVersion() is { } version ? [Info(version)] : Array.Empty<Measurement<int>>(),
            unit: null, description: "1 for the model version this replica serves (sha256 of model.dat)");
    }

    /// <summary>
    /// Stops recording predictions and batches until disposed: for the start-up warm-up's own calls, which no client
    /// made (no client can call before Kestrel listens, so nothing real goes unrecorded meanwhile).
    /// </summary>
    public IDisposable PausePredictions()
    {
        _paused = true;
        return new Resume(this);
    }

    public void PredictionAnswered(int digit, float confidence)
    {
        if (_paused)
        {
            return;
        }

        _predictions.Add(1, s_digitTags[digit]);
        _confidence.Record(confidence);
    }

    public void BatchFormed(int size)
    {
        if (!_paused)
        {
            _batchSize.Record(size);
        }
    }

    public void QueueWaited(TimeSpan wait)
    {
        if (!_paused)
        {
            _queueWait.Record(wait.TotalSeconds);
        }
    }

    public void ModelLoaded() => _modelLoads.Add(1, s_loaded);

    public void ModelLoadFailed() => _modelLoads.Add(1, s_failed);

    private sealed class Resume(InferenceMetrics metrics) : IDisposable
    {
        public void Dispose() => metrics._paused = false;
    }

    private static Measurement<int> Info(string version) => new(1, new KeyValuePair<string, object?>("model_version", version));
}
