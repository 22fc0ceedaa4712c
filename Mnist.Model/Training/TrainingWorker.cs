using Mnist.Model.Layers;
using Mnist.Model.Network;
using static Mnist.Model.Network.MnistLayers;

namespace Mnist.Model.Training;

/// <summary>
/// Forward and backward over one slice of a batch on one core, with its own activations and its own
/// gradient buffers (summed by <see cref="TrainingStep"/> afterwards, so workers never share a write).
/// </summary>
internal sealed class TrainingWorker
{
    private readonly ForwardPass _forward;
    private readonly float[] _logProbabilitiesGrad;
    private readonly float[] _logitsGrad;
    private readonly float[] _hiddenGrad;
    private readonly float[] _flatGrad;
    private readonly float[] _conv2Grad;
    private readonly float[] _conv1Grad;

    public TrainingWorker(int capacity)
    {
        _forward = new ForwardPass(capacity, training: true);
        _logProbabilitiesGrad = new float[capacity * MnistNet.ClassCount];
        _logitsGrad = new float[capacity * MnistNet.ClassCount];
        _hiddenGrad = new float[capacity * Fc1.OutFeatures];
        _flatGrad = new float[capacity * Pool.OutputSize];
        _conv2Grad = new float[capacity * MnistLayers.Conv2.OutputSize];
        _conv1Grad = new float[capacity * MnistLayers.Conv1.OutputSize];
        Gradients = Array.ConvertAll(MnistNet.ParameterShapes.ToArray(), s => new float[s.Shape.Aggregate(1, (a, b) => a * b)]);
    }

    /// <summary>The activations and dropout masks of the last <see cref="Run"/>.</summary>
    public ForwardPass Forward => _forward;

    /// <summary>This worker's gradient contributions, per parameter in state-dict order.</summary>
    public float[][] Gradients { get; }

    /// <summary>Overwrites <see cref="Gradients"/> with this slice's gradient of the batch-mean loss; returns its share of the loss.</summary>
    public float Run(MnistNet net, ReadOnlySpan<float> images, ReadOnlySpan<byte> labels, int batchSize, DropoutStream dropout)
    {
        foreach (var gradient in Gradients)
        {
            Array.Clear(gradient);
        }

        var n = labels.Length;
        if (n == 0)
        {
            return 0f;
        }

        var f = _forward;
        var p = net.Parameters;
        var g = Gradients;
        var logProbabilities = f.Run(net, images, dropout);
        var loss = Loss.Forward(logProbabilities, labels, batchSize);

        var dLogProbabilities = _logProbabilitiesGrad.AsSpan(0, logProbabilities.Length);
        Loss.Backward(labels, dLogProbabilities, batchSize);
        var dLogits = _logitsGrad.AsSpan(0, logProbabilities.Length);
        MnistLayers.LogSoftmax.Backward(logProbabilities, dLogProbabilities, dLogits);

        var dHidden = _hiddenGrad.AsSpan(0, n * Fc1.OutFeatures);
        Fc2.Backward(f.Dropped2.AsSpan(0, dHidden.Length), dLogits, dHidden, p[Fc2Weight].Value, g[Fc2Weight], g[Fc2Bias]);
        Dropout.Backward(f.Mask2.AsSpan(0, dHidden.Length), dHidden);
        Relu.Backward(f.Hidden.AsSpan(0, dHidden.Length), dHidden);

        var dFlat = _flatGrad.AsSpan(0, n * Pool.OutputSize);
        Fc1.Backward(f.Dropped1.AsSpan(0, dFlat.Length), dHidden, dFlat, p[Fc1Weight].Value, g[Fc1Weight], g[Fc1Bias]);
        Dropout.Backward(f.Mask1.AsSpan(0, dFlat.Length), dFlat);
        Relu.Backward(f.Pooled.AsSpan(0, dFlat.Length), dFlat);

        var dConv2 = _conv2Grad.AsSpan(0, n * MnistLayers.Conv2.OutputSize);
        Pool.Backward(dFlat, f.Winners, dConv2);

        var dConv1 = _conv1Grad.AsSpan(0, n * MnistLayers.Conv1.OutputSize);
        var conv1Output = f.Conv1.AsSpan(0, dConv1.Length);
        MnistLayers.Conv2.Backward(conv1Output, dConv2, dConv1, p[Conv2Weight].Value, g[Conv2Weight], g[Conv2Bias], f.Workspace);
        Relu.Backward(conv1Output, dConv1);
        MnistLayers.Conv1.Backward(images, dConv1, [], p[Conv1Weight].Value, g[Conv1Weight], g[Conv1Bias], f.Workspace);
        return loss;
    }
}
