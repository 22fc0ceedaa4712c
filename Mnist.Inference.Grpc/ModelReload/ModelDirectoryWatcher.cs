using System.Diagnostics;
using Microsoft.Extensions.Options;
using Mnist.Inference.Grpc.Batching;
using Mnist.Inference.Grpc.Observability;

using Mnist.Model.Volume;
using Mnist.Model.Weights;

namespace Mnist.Inference.Grpc.ModelReload;

/// <summary>
/// Keeps <see cref="ModelStore"/> in step with MODEL_DIR/model.dat: loads it at start-up, waits for it when the
/// trainer Job has not finished yet, and loads every replacement in the background. A file that fails to load is
/// logged and refused; the model already serving keeps serving.
/// </summary>
public sealed class ModelDirectoryWatcher(
    ModelStore store,
    ModelFileLoader loader,
    IOptions<ModelReloadOptions> options,
    IOptions<BatchingOptions> batching,
    InferenceMetrics metrics,
    ILogger<ModelDirectoryWatcher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _changed = new(0);
    private FileFingerprint? _lastSeen = new FileFingerprint(-1, default); // matches no real file, so the first look always acts
    private bool _reportedMissing;

    private string ModelPath => ModelVolume.WeightsPath(options.Value.ModelDir);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Load before Kestrel starts listening, so a pod with a model on its volume is SERVING from its first probe.
        CheckNow();
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.PollSeconds);
        using var watcher = TryWatch(options.Value.ModelDir, interval);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // File-system events make a swap prompt; the poll covers volumes that never raise them (NFS, some CSI drivers).
                await _changed.WaitAsync(interval, stoppingToken);
                while (_changed.Wait(0, CancellationToken.None))
                {
                }

                CheckNow();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Looks at model.dat once and loads it if it changed since the last look.</summary>
    internal void CheckNow()
    {
        var path = ModelPath;
        var fingerprint = FileFingerprint.Of(path);
        if (fingerprint == _lastSeen)
        {
            return;
        }

        _lastSeen = fingerprint;
        if (fingerprint is null)
        {
            if (!_reportedMissing)
            {
                ModelLog.ModelMissing(logger, path);
                _reportedMissing = true;
            }

            store.ReportUnavailable($"no model yet: {ModelVolume.WeightsFileName} does not exist (the trainer Job writes it)");
            return;
        }

        var clock = Stopwatch.StartNew();
        try
        {
            var model = loader.LoadIfChanged(options.Value.ModelDir, store.Current?.Version);
            if (model is not null)
            {
                WarmUp(model);
                store.Publish(model);
                metrics.ModelLoaded();
                ModelLog.ModelLoaded(logger, model.Version, path, clock.ElapsedMilliseconds);
                if (model.CardProblem is { } problem)
                {
                    ModelLog.CardMissing(logger, model.Version, problem);
                }
            }
        }
        catch (Exception e) // a bad file on the volume must never take the server down
        {
            var outcome = store.Current is { } current ? $"still serving model {current.Version}" : "not serving";
            ModelLog.ModelRefused(logger, path, e.Message, outcome);
            metrics.ModelLoadFailed();
            // Clients see why in the weights' own terms; file paths and other libraries' messages stay in the log.
            store.ReportUnavailable(e is WeightsFileException weights
                ? $"{ModelVolume.WeightsFileName} was refused: {weights.Message}"
                : $"{ModelVolume.WeightsFileName} could not be read");
        }
    }

    /// <summary>Warms the model up before it is published, so SERVING (health, /healthz) means full speed; a failure refuses it.</summary>
    private void WarmUp(LoadedModel model)
    {
        if (!options.Value.WarmupEnabled)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        try
        {
            model.WarmUp(batching.Value.MaxSize);
        }
        catch
        {
            model.Release(); // never published: its only lease
            throw;
        }

        ModelLog.ModelWarmedUp(logger, model.Version, model.WarmupForwards, clock.ElapsedMilliseconds);
    }

    private FileSystemWatcher? TryWatch(string directory, TimeSpan interval)
    {
        try
        {
            var watcher = new FileSystemWatcher(directory, ModelVolume.WeightsFileName)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            watcher.Created += (_, _) => _changed.Release();
            watcher.Changed += (_, _) => _changed.Release();
            watcher.Renamed += (_, _) => _changed.Release();
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception e) when (e is ArgumentException or IOException or PlatformNotSupportedException)
        {
            ModelLog.WatchUnavailable(logger, directory, e.Message, interval.TotalSeconds);
            return null;
        }
    }

    public override void Dispose()
    {
        _changed.Dispose();
        base.Dispose();
    }
}
