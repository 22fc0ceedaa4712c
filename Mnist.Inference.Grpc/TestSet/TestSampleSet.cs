using Microsoft.Extensions.Options;
using Mnist.Inference.Grpc.Errors;
using Mnist.Model;
using Mnist.Model.Data;

namespace Mnist.Inference.Grpc.TestSet;

/// <summary>
/// The MNIST test set shipped with the server, read once at start-up for PredictTestSample. When the files are
/// missing the server still serves Predict, and PredictTestSample answers UNAVAILABLE with the reason.
/// </summary>
public sealed class TestSampleSet
{
    // Read on a thread-pool thread from construction on, so that start-up loads the model on the other core
    // meanwhile; the first use (the request-path warm-up, before Kestrel listens) waits for what is left.
    private readonly Task<MnistDataset?> _loading;
    private string? _unavailableReason;

    public TestSampleSet(IOptions<TestSetOptions> options, ILogger<TestSampleSet> logger)
    {
        var directory = options.Value.DataDir;
        _loading = Task.Run(() => Load(directory, logger));
    }

    internal TestSampleSet(MnistDataset data) => _loading = Task.FromResult<MnistDataset?>(data);

    public bool IsAvailable => Data is not null;

    public string? UnavailableReason => Data is null ? _unavailableReason : null;

    public int Count => Data?.Count ?? 0;

    private MnistDataset? Data => _loading.GetAwaiter().GetResult();

    /// <summary>The pixels of sample <paramref name="id"/>; UNAVAILABLE without a test set, INVALID_ARGUMENT out of range.</summary>
    public ReadOnlyMemory<byte> Sample(int id)
    {
        var data = Data ?? throw Statuses.TestSetUnavailable(UnavailableReason);
        return (uint)id < (uint)data.Count
            ? data.Images.AsMemory(id * MnistShape.PixelCount, MnistShape.PixelCount)
            : throw Statuses.TestSampleOutOfRange(id, data.Count);
    }

    /// <summary>The label of sample <paramref name="id"/>, once <see cref="Sample"/> has accepted it.</summary>
    public int Label(int id) => Data!.Labels[id];

    private MnistDataset? Load(string directory, ILogger logger)
    {
        try
        {
            var data = MnistDataset.LoadTest(directory);
            TestSetLog.Loaded(logger, data.Count, directory);
            return data;
        }
        catch (MnistDataException e)
        {
            // The path and the reader's detail go to the log only.
            _unavailableReason = "its files in DATA_DIR are missing or unreadable (the server's log says which)";
            TestSetLog.Unavailable(logger, directory, e.Message);
            return null;
        }
    }
}
