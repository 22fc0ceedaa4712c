using Mnist.Model.Layers;
using Mnist.Model.Tensors;
using static Mnist.Model.Network.MnistLayers;

namespace Mnist.Model.Network;

/// <summary>
/// The activations of one forward pass over up to <see cref="Capacity"/> images, kept for the backward pass.
/// Single-threaded; the callers run one per core.
/// </summary>
internal sealed class ForwardPass
{
    public ForwardPass(int capacity, bool training)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        Training = training;
        Conv1 = new float[capacity * MnistLayers.Conv1.OutputSize];
        Conv2 = new float[capacity * MnistLayers.Conv2.OutputSize];
        Pooled = new float[capacity * Pool.OutputSize];
        Winners = new byte[capacity * Pool.OutputSize];
        Hidden = new float[capacity * Fc1.OutFeatures];
        Logits = new float[capacity * Fc2.OutFeatures];
        LogProbabilities = new float[capacity * Fc2.OutFeatures];
        Workspace = new float[Math.Max(MnistLayers.Conv1.WorkspaceSize(capacity), MnistLayers.Conv2.WorkspaceSize(capacity))];
        Mask1 = training ? new float[Pooled.Length] : [];
        Dropped1 = training ? new float[Pooled.Length] : [];
        Mask2 = training ? new float[Hidden.Length] : [];
        Dropped2 = training ? new float[Hidden.Length] : [];
    }

    public int Capacity { get; }
    public bool Training { get; }

    // Conv1 and Conv2 are channel-major (C, N, H, W); the rest image-major. Conv1, Pooled and Hidden after
    // their ReLU, Conv2 before it (ReLU commutes with max-pooling, so it runs on the 4x smaller pooled output);
    // Pooled and Hidden before dropout.
    public float[] Conv1 { get; }
    public float[] Conv2 { get; }
    public float[] Pooled { get; }
    public byte[] Winners { get; }
    public float[] Hidden { get; }
    public float[] Logits { get; }
    public float[] LogProbabilities { get; }

    // The convolutions' im2col chunk; the backward pass uses it too.
    public float[] Workspace { get; }
    public float[] Mask1 { get; }
    public float[] Dropped1 { get; }
    public float[] Mask2 { get; }
    public float[] Dropped2 { get; }

    /// <summary>Eval-mode forward (no dropout) of n = images.Length / 784 images.</summary>
    public ReadOnlySpan<float> Run(MnistNet net, ReadOnlySpan<float> images) => Run(net, images, default);

    /// <summary>
    /// Training-mode forward: image i of the batch (at <paramref name="dropout"/>.FirstImage + i) draws its
    /// masks from the stream (seed, step, image index), so results do not depend on how the batch is split.
    /// </summary>
    public ReadOnlySpan<float> Run(MnistNet net, ReadOnlySpan<float> images, DropoutStream dropout)
    {
        var n = images.Length / MnistNet.PixelCount;
        if (n * MnistNet.PixelCount != images.Length || n > Capacity)
        {
            throw new ArgumentException($"Expected up to {Capacity} images of {MnistNet.PixelCount} floats, got {images.Length} floats.", nameof(images));
        }

        var p = net.Parameters;
        var conv1 = Conv1.AsSpan(0, n * MnistLayers.Conv1.OutputSize);
        // One input channel: the images' (N, 1, H, W) is already channel-major.
        MnistLayers.Conv1.Forward(images, conv1, p[Conv1Weight].Value, p[Conv1Bias].Value, Workspace);
        Relu.Forward(conv1);

        var conv2 = Conv2.AsSpan(0, n * MnistLayers.Conv2.OutputSize);
        MnistLayers.Conv2.Forward(conv1, conv2, p[Conv2Weight].Value, p[Conv2Bias].Value, Workspace);

        var pooled = Pooled.AsSpan(0, n * Pool.OutputSize);
        Pool.Forward(conv2, pooled, Winners);
        Relu.Forward(pooled);
        ReadOnlySpan<float> flat = pooled;
        if (Training)
        {
            flat = ApplyDropout(Dropout1, flat, Mask1, Dropped1, dropout, 1, n);
        }

        var hidden = Hidden.AsSpan(0, n * Fc1.OutFeatures);
        Fc1.Forward(flat, hidden, p[Fc1Weight].Value, p[Fc1Bias].Value);
        Relu.Forward(hidden);
        ReadOnlySpan<float> fc2Input = hidden;
        if (Training)
        {
            fc2Input = ApplyDropout(Dropout2, hidden, Mask2, Dropped2, dropout, 2, n);
        }

        var logits = Logits.AsSpan(0, n * Fc2.OutFeatures);
        Fc2.Forward(fc2Input, logits, p[Fc2Weight].Value, p[Fc2Bias].Value);
        var logProbabilities = LogProbabilities.AsSpan(0, logits.Length);
        MnistLayers.LogSoftmax.Forward(logits, logProbabilities);
        return logProbabilities;
    }

    private static Span<float> ApplyDropout(
        Dropout layer, ReadOnlySpan<float> input, float[] maskBuffer, float[] outputBuffer, DropoutStream stream, int layerIndex, int n)
    {
        var mask = maskBuffer.AsSpan(0, input.Length);
        var output = outputBuffer.AsSpan(0, input.Length);
        var size = input.Length / n;
        for (var i = 0; i < n; i++)
        {
            var random = SeededRandom.ForStream(stream.Seed, (stream.Step * 2) + layerIndex, stream.FirstImage + i);
            layer.FillMask(mask.Slice(i * size, size), ref random);
        }

        Dropout.Forward(input, mask, output);
        return output;
    }
}
