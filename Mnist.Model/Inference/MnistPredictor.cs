using System.Buffers;
using System.Collections.Concurrent;
using Mnist.Model.Network;

namespace Mnist.Model.Inference;

/// <summary>
/// Eval-mode forward pass (no dropout). Thread-safe: any number of threads may call it at once. Works on a
/// private copy of the weights taken at construction, so later training does not disturb it.
/// </summary>
public sealed class MnistPredictor
{
    // Images per worker pass in the batch paths: big enough for efficient GEMMs, small enough for the cache.
    private const int ChunkImages = 16;

    [ThreadStatic]
    private static SingleImageWorkspace? t_single;

    private readonly MnistNet _net;
    private readonly ConcurrentBag<BatchWorkspace> _workspaces = [];

    /// <param name="net">The trained network; its values are copied.</param>
    public MnistPredictor(MnistNet net)
    {
        ArgumentNullException.ThrowIfNull(net);
        _net = net.Clone();
    }

    /// <summary>One image: 784 raw MNIST bytes -> 10 softmax probabilities. No allocation per call.</summary>
    public void Predict(ReadOnlySpan<byte> pixels, Span<float> probabilities)
    {
        if (pixels.Length != MnistNet.PixelCount)
        {
            throw new ArgumentException($"An image is {MnistNet.PixelCount} pixels (28x28 bytes), got {pixels.Length}.", nameof(pixels));
        }

        if (probabilities.Length != MnistNet.ClassCount)
        {
            throw new ArgumentException($"Probabilities need exactly {MnistNet.ClassCount} floats, got {probabilities.Length}.", nameof(probabilities));
        }

        var workspace = t_single ??= new SingleImageWorkspace();
        MnistNormalization.Normalize(pixels, workspace.Image);
        var logProbabilities = workspace.Forward.Run(_net, workspace.Image);
        Exponentiate(logProbabilities, probabilities);
    }

    /// <summary>N images in one forward: N*784 bytes -> N*10 probabilities.</summary>
    public void PredictBatch(ReadOnlySpan<byte> pixels, Span<float> probabilities)
    {
        var n = CheckBatch(pixels.Length, probabilities.Length, nameof(pixels), nameof(probabilities));
        var images = ArrayPool<float>.Shared.Rent(pixels.Length);
        var output = ArrayPool<float>.Shared.Rent(probabilities.Length);
        try
        {
            MnistNormalization.Normalize(pixels, images.AsSpan(0, pixels.Length));
            RunBatch(images, output, n);
            Exponentiate(output.AsSpan(0, probabilities.Length), probabilities);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(images);
            ArrayPool<float>.Shared.Return(output);
        }
    }

    /// <summary>N normalized images -> N*10 log-probabilities (for test loss/accuracy).</summary>
    public void LogProbabilities(ReadOnlySpan<float> normalizedImages, Span<float> logProbabilities)
    {
        var n = CheckBatch(normalizedImages.Length, logProbabilities.Length, nameof(normalizedImages), nameof(logProbabilities));
        var images = ArrayPool<float>.Shared.Rent(normalizedImages.Length);
        var output = ArrayPool<float>.Shared.Rent(logProbabilities.Length);
        try
        {
            normalizedImages.CopyTo(images);
            RunBatch(images, output, n);
            output.AsSpan(0, logProbabilities.Length).CopyTo(logProbabilities);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(images);
            ArrayPool<float>.Shared.Return(output);
        }
    }

    private static int CheckBatch(int pixelCount, int outputCount, string pixelsName, string outputName)
    {
        var n = pixelCount / MnistNet.PixelCount;
        if (n * MnistNet.PixelCount != pixelCount)
        {
            throw new ArgumentException($"A batch is a whole number of {MnistNet.PixelCount}-pixel images, got {pixelCount} values.", pixelsName);
        }

        if (outputCount != n * MnistNet.ClassCount)
        {
            throw new ArgumentException($"{n} images need exactly {n * MnistNet.ClassCount} outputs ({MnistNet.ClassCount} each), got {outputCount}.", outputName);
        }

        return n;
    }

    // Chunks of ChunkImages go to the cores; each core rents a workspace for the duration.
    private void RunBatch(float[] images, float[] output, int n)
    {
        var chunks = (n + ChunkImages - 1) / ChunkImages;
        Parallel.For(0, chunks, chunk =>
        {
            if (!_workspaces.TryTake(out var workspace))
            {
                workspace = new BatchWorkspace();
            }

            var start = chunk * ChunkImages;
            var count = Math.Min(ChunkImages, n - start);
            var result = workspace.Forward.Run(_net, images.AsSpan(start * MnistNet.PixelCount, count * MnistNet.PixelCount));
            result.CopyTo(output.AsSpan(start * MnistNet.ClassCount));
            _workspaces.Add(workspace);
        });
    }

    private static void Exponentiate(ReadOnlySpan<float> logProbabilities, Span<float> probabilities) =>
        System.Numerics.Tensors.TensorPrimitives.Exp(logProbabilities, probabilities);

    private sealed class SingleImageWorkspace
    {
        public float[] Image { get; } = new float[MnistNet.PixelCount];
        public ForwardPass Forward { get; } = new(1, training: false);
    }

    private sealed class BatchWorkspace
    {
        public ForwardPass Forward { get; } = new(ChunkImages, training: false);
    }
}
