using System.Numerics.Tensors;
using Mnist.Model.Network;
using Mnist.Model.Optimizers;

namespace Mnist.Model.Training;

/// <summary>
/// Reusable buffers for one training step of up to maxBatchSize images; not thread-safe (uses all cores inside).
/// The batch is split into one contiguous slice per core; each slice's forward and backward run on its own
/// buffers and the gradients are summed in a fixed order, so a seed gives the same result on every run.
/// </summary>
public sealed class TrainingStep
{
    private readonly MnistNet _net;
    private readonly int _maxBatchSize;
    private readonly int _seed;
    private readonly TrainingWorker[] _workers;
    private readonly float[] _losses;
    private readonly float[] _images;
    private readonly byte[] _labels;
    private readonly Action<int> _runWorker;
    private readonly Action<int> _sumGradients;
    private int _batchSize;
    private long _step;

    /// <param name="net">The network whose parameters and gradients the step updates.</param>
    /// <param name="maxBatchSize">The largest batch <see cref="Run"/> accepts; buffers are sized for it.</param>
    /// <param name="seed">Drives the dropout masks.</param>
    public TrainingStep(MnistNet net, int maxBatchSize, int seed)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatchSize);
        _net = net;
        _maxBatchSize = maxBatchSize;
        _seed = seed;
        var workerCount = Math.Min(Environment.ProcessorCount, maxBatchSize);
        var perWorker = (maxBatchSize + workerCount - 1) / workerCount;
        _workers = new TrainingWorker[workerCount];
        for (var w = 0; w < workerCount; w++)
        {
            _workers[w] = new TrainingWorker(perWorker);
        }

        _losses = new float[workerCount];
        _images = new float[maxBatchSize * MnistNet.PixelCount];
        _labels = new byte[maxBatchSize];
        _runWorker = RunWorker;
        _sumGradients = SumGradients;
    }

    /// <summary>Zero-grad, forward (dropout on), NLL loss (mean), backward, optimizer.Step(); returns the mean loss.</summary>
    /// <param name="normalizedImages">N*784 normalised pixels (see <see cref="MnistNormalization"/>).</param>
    /// <param name="labels">N labels in [0, 9].</param>
    /// <param name="optimizer">Applied once after the gradients are computed.</param>
    public float Run(ReadOnlySpan<float> normalizedImages, ReadOnlySpan<byte> labels, IOptimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        var n = labels.Length;
        if (n == 0 || n > _maxBatchSize)
        {
            throw new ArgumentException($"A batch must hold 1 to {_maxBatchSize} labels, got {n}.", nameof(labels));
        }

        if (normalizedImages.Length != n * MnistNet.PixelCount)
        {
            throw new ArgumentException(
                $"{n} labels need {n * MnistNet.PixelCount} image floats ({MnistNet.PixelCount} per image), got {normalizedImages.Length}.",
                nameof(normalizedImages));
        }

        foreach (var label in labels)
        {
            if (label >= MnistNet.ClassCount)
            {
                throw new ArgumentException($"Labels must be in [0, {MnistNet.ClassCount - 1}], got {label}.", nameof(labels));
            }
        }

        normalizedImages.CopyTo(_images);
        labels.CopyTo(_labels);
        _batchSize = n;
        optimizer.ZeroGrad();
        Parallel.For(0, _workers.Length, _runWorker);
        Parallel.For(0, _workers.Length, _sumGradients);
        optimizer.Step();
        _step++;

        var loss = 0f;
        foreach (var part in _losses)
        {
            loss += part;
        }

        return loss;
    }

    private (int Start, int Count) Slice(int worker, int length)
    {
        var start = (int)((long)length * worker / _workers.Length);
        var end = (int)((long)length * (worker + 1) / _workers.Length);
        return (start, end - start);
    }

    private void RunWorker(int worker)
    {
        var (start, count) = Slice(worker, _batchSize);
        _losses[worker] = _workers[worker].Run(
            _net,
            _images.AsSpan(start * MnistNet.PixelCount, count * MnistNet.PixelCount),
            _labels.AsSpan(start, count),
            _batchSize,
            new DropoutStream(_seed, _step, start));
    }

    // Each core sums its own range of every parameter, adding the workers in a fixed order.
    private void SumGradients(int worker)
    {
        var parameters = _net.Parameters;
        for (var i = 0; i < parameters.Count; i++)
        {
            var (start, count) = Slice(worker, parameters[i].Grad.Length);
            var target = parameters[i].Grad.AsSpan(start, count);
            foreach (var source in _workers)
            {
                TensorPrimitives.Add(target, source.Gradients[i].AsSpan(start, count), target);
            }
        }
    }
}
