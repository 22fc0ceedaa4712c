using Mnist.Model.Layers;
using Mnist.Model.Tensors;

namespace Mnist.Tests.Model.Engine;

/// <summary>Each layer's analytic backward against finite differences of sum(output * R) for a random R.</summary>
public class LayerGradientTests
{
    [TestCase(1, 2, 3, 5, 5, 2)]
    [TestCase(3, 4, 3, 6, 7, 2)]
    [TestCase(2, 3, 2, 4, 5, 1)]
    [TestCase(2, 3, 3, 5, 5, 11)] // more images than one im2col chunk
    public void Conv2d_Backward_MatchesFiniteDifferences(int inChannels, int outChannels, int kernel, int height, int width, int n)
    {
        var layer = new Conv2d(inChannels, outChannels, kernel, height, width);
        var random = new Random(1);
        var input = GradientCheck.RandomValues(random, n * layer.InputSize);
        var weight = GradientCheck.RandomValues(random, layer.WeightSize);
        var bias = GradientCheck.RandomValues(random, outChannels);
        var projection = GradientCheck.RandomValues(random, n * layer.OutputSize);
        var columns = new float[layer.WorkspaceSize(n)];
        double Loss()
        {
            var output = new float[n * layer.OutputSize];
            layer.Forward(input, output, weight, bias, columns);
            return GradientCheck.Project(output, projection);
        }

        var inputGrad = new float[input.Length];
        var weightGrad = new float[weight.Length];
        var biasGrad = new float[bias.Length];
        layer.Backward(input, projection, inputGrad, weight, weightGrad, biasGrad, columns);

        GradientCheck.AssertMatches("Conv2d", "input", input, inputGrad, Loss);
        GradientCheck.AssertMatches("Conv2d", "weight", weight, weightGrad, Loss);
        GradientCheck.AssertMatches("Conv2d", "bias", bias, biasGrad, Loss);
    }

    [TestCase(5, 3, 4)]
    [TestCase(17, 10, 1)]
    [TestCase(9, 2, 3)]
    public void Linear_Backward_MatchesFiniteDifferences(int inFeatures, int outFeatures, int n)
    {
        var layer = new Linear(inFeatures, outFeatures);
        var random = new Random(2);
        var input = GradientCheck.RandomValues(random, n * inFeatures);
        var weight = GradientCheck.RandomValues(random, inFeatures * outFeatures);
        var bias = GradientCheck.RandomValues(random, outFeatures);
        var projection = GradientCheck.RandomValues(random, n * outFeatures);
        double Loss()
        {
            var output = new float[n * outFeatures];
            layer.Forward(input, output, weight, bias);
            return GradientCheck.Project(output, projection);
        }

        var inputGrad = new float[input.Length];
        var weightGrad = new float[weight.Length];
        var biasGrad = new float[bias.Length];
        layer.Backward(input, projection, inputGrad, weight, weightGrad, biasGrad);

        GradientCheck.AssertMatches("Linear", "input", input, inputGrad, Loss);
        GradientCheck.AssertMatches("Linear", "weight", weight, weightGrad, Loss);
        GradientCheck.AssertMatches("Linear", "bias", bias, biasGrad, Loss);
    }

    [TestCase(1, 4, 4, 1)]
    [TestCase(3, 6, 4, 2)]
    [TestCase(2, 5, 5, 2)]
    [TestCase(2, 4, 11, 2)] // 5 outputs per row: the SIMD path and the scalar tail
    public void MaxPool2d_Backward_MatchesFiniteDifferences(int channels, int height, int width, int n)
    {
        var layer = new MaxPool2d(channels, height, width);
        // Distinct values 0.1 apart, shuffled, so a 1e-2 nudge never changes a window's winner.
        var random = new Random(3);
        var input = Enumerable.Range(0, n * layer.InputSize).Select(i => i * 0.1f).OrderBy(_ => random.Next()).ToArray();
        var projection = GradientCheck.RandomValues(random, n * layer.OutputSize);
        var winners = new byte[n * layer.OutputSize];
        double Loss()
        {
            var output = new float[n * layer.OutputSize];
            layer.Forward(input, output, winners);
            return GradientCheck.Project(output, projection);
        }

        Loss();
        var inputGrad = new float[input.Length];
        layer.Backward(projection, winners, inputGrad);

        GradientCheck.AssertMatches("MaxPool2d", "input", input, inputGrad, Loss);
    }

    [TestCase(7)]
    [TestCase(40)]
    public void Relu_Backward_MatchesFiniteDifferences(int length)
    {
        var random = new Random(4);
        // Keep inputs away from the kink at 0, where the derivative is undefined.
        var input = GradientCheck.RandomValues(random, length).Select(v => v + (0.1f * MathF.Sign(v))).ToArray();
        var projection = GradientCheck.RandomValues(random, length);
        double Loss()
        {
            var output = (float[])input.Clone();
            Relu.Forward(output);
            return GradientCheck.Project(output, projection);
        }

        var output = (float[])input.Clone();
        Relu.Forward(output);
        var grad = (float[])projection.Clone();
        Relu.Backward(output, grad);

        Assert.That(output.Count(v => v == 0f), Is.InRange(1, length - 1), "both sides of the kink are exercised");
        GradientCheck.AssertMatches("Relu", "input", input, grad, Loss);
    }

    [TestCase(0.25f, 64)]
    [TestCase(0.5f, 33)]
    public void Dropout_Backward_WithFixedMask_MatchesFiniteDifferences(float probability, int length)
    {
        var layer = new Dropout(probability);
        var random = new Random(5);
        var input = GradientCheck.RandomValues(random, length);
        var projection = GradientCheck.RandomValues(random, length);
        var mask = new float[length];
        var generator = new SeededRandom(7);
        layer.FillMask(mask, ref generator);
        double Loss()
        {
            var output = new float[length];
            Dropout.Forward(input, mask, output);
            return GradientCheck.Project(output, projection);
        }

        var grad = (float[])projection.Clone();
        Dropout.Backward(mask, grad);

        Assert.That(mask.Distinct().Order(), Is.EqualTo(new[] { 0f, layer.Scale }), "mask holds only 0 and 1/(1-p)");
        GradientCheck.AssertMatches("Dropout", "input", input, grad, Loss);
    }

    [TestCase(1, 2)]
    [TestCase(3, 10)]
    public void LogSoftmax_Backward_MatchesFiniteDifferences(int n, int classes)
    {
        var layer = new LogSoftmax(classes);
        var random = new Random(6);
        var input = GradientCheck.RandomValues(random, n * classes, 3f);
        var projection = GradientCheck.RandomValues(random, n * classes);
        double Loss()
        {
            var output = new float[input.Length];
            layer.Forward(input, output);
            return GradientCheck.Project(output, projection);
        }

        var output = new float[input.Length];
        layer.Forward(input, output);
        var inputGrad = new float[input.Length];
        layer.Backward(output, projection, inputGrad);

        GradientCheck.AssertMatches("LogSoftmax", "input", input, inputGrad, Loss, step: 1e-3);
    }

    [TestCase(4, 10)]
    [TestCase(1, 3)]
    public void NllLoss_Backward_MatchesFiniteDifferences(int n, int classes)
    {
        var loss = new NllLoss(classes);
        var random = new Random(7);
        var input = GradientCheck.RandomValues(random, n * classes, 3f);
        var labels = Enumerable.Range(0, n).Select(_ => (byte)random.Next(classes)).ToArray();
        var inputGrad = new float[input.Length];
        loss.Backward(labels, inputGrad, n);

        GradientCheck.AssertMatches("NllLoss", "input", input, inputGrad, () => loss.Forward(input, labels, n));
    }
}
