using Mnist.Model.Network;
using static TorchSharp.torch;

namespace Mnist.Model.Inference;

/// <summary>
/// Eval-mode, no-grad forward passes over batches of raw 28x28 images. Thread-safe: the network is only read,
/// and every call has its own tensors (no_grad and dispose scopes are per thread in TorchSharp). Owns the
/// network (unless told it borrows it) and disposes it with itself; callers must not dispose it while a call is running.
/// </summary>
public sealed class MnistPredictor : IDisposable
{
    private readonly MnistNet _net;
    private readonly bool _ownsNet;

    /// <param name="net">The trained network; the predictor puts it in eval mode, and lays out the weights of one it
    /// owns for inference (<see cref="MnistNet.ToChannelsLast"/>).</param>
    /// <param name="ownsNet">Dispose the network with the predictor; false when the caller goes on using it
    /// (the trainer evaluates after each epoch, then trains on: it switches the network back to train mode itself).</param>
    public MnistPredictor(MnistNet net, bool ownsNet = true)
    {
        ArgumentNullException.ThrowIfNull(net);
        _net = net;
        _ownsNet = ownsNet;
        _net.eval();
        if (ownsNet)
        {
            _net.ToChannelsLast();
        }
    }

    /// <summary>N images in one forward: N*784 bytes (0 = background, 255 = ink) -> N*10 softmax probabilities.</summary>
    public void Predict(ReadOnlySpan<byte> pixels, Span<float> probabilities) => Run(pixels, probabilities, exponentiate: true);

    /// <summary>N images in one forward: N*784 bytes -> N*10 log-probabilities (for test loss and accuracy).</summary>
    public void LogProbabilities(ReadOnlySpan<byte> pixels, Span<float> logProbabilities) => Run(pixels, logProbabilities, exponentiate: false);

    /// <summary>Disposes the network's native tensors, when the predictor owns them.</summary>
    public void Dispose()
    {
        if (_ownsNet)
        {
            _net.Dispose();
        }
    }

    private void Run(ReadOnlySpan<byte> pixels, Span<float> output, bool exponentiate)
    {
        var n = pixels.Length / MnistShape.PixelCount;
        if (n == 0 || n * MnistShape.PixelCount != pixels.Length)
        {
            throw new ArgumentException($"A batch is one or more whole {MnistShape.PixelCount}-pixel images, got {pixels.Length} bytes.", nameof(pixels));
        }

        if (output.Length != n * MnistShape.ClassCount)
        {
            throw new ArgumentException($"{n} images need exactly {n * MnistShape.ClassCount} outputs ({MnistShape.ClassCount} each), got {output.Length}.", nameof(output));
        }

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        // Copied straight into and out of native memory: no managed arrays per call.
        var input = empty([n, MnistShape.PixelCount], ScalarType.Byte);
        using (var inputData = input.data<byte>())
        {
            inputData.CopyFrom(pixels, 0, 0);
        }

        var result = _net.forward(input);
        if (exponentiate)
        {
            result = result.exp_();
        }

        using var outputData = result.data<float>();
        outputData.CopyTo(output, 0, 0);
    }
}
