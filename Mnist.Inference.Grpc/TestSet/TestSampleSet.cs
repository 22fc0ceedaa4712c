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
    private readonly MnistDataset? _data;

    public TestSampleSet(IOptions<TestSetOptions> options, ILogger<TestSampleSet> logger)
    {
        var directory = options.Value.DataDir;
        try
        {
            _data = MnistDataset.LoadTest(directory);
            TestSetLog.Loaded(logger, _data.Count, directory);
        }
        catch (MnistDataException e)
        {
            // The path and the reader's detail go to the log only.
            UnavailableReason = "its files in DATA_DIR are missing or unreadable (the server's log says which)";
            TestSetLog.Unavailable(logger, directory, e.Message);
        }
    }

    internal TestSampleSet(MnistDataset data) => _data = data;

    public bool IsAvailable => _data is not null;

    public string? UnavailableReason { get; }

    public int Count => _data?.Count ?? 0;

    /// <summary>The pixels of sample <paramref name="id"/>; UNAVAILABLE without a test set, INVALID_ARGUMENT out of range.</summary>
    public ReadOnlyMemory<byte> Sample(int id)
    {
        var data = _data ?? throw Statuses.TestSetUnavailable(UnavailableReason);
        return (uint)id < (uint)data.Count
            ? data.Images.AsMemory(id * MnistShape.PixelCount, MnistShape.PixelCount)
            : throw Statuses.TestSampleOutOfRange(id, data.Count);
    }

    /// <summary>The label of sample <paramref name="id"/>, once <see cref="Sample"/> has accepted it.</summary>
    public int Label(int id) => _data!.Labels[id];
}
