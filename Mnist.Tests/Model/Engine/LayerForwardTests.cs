using Mnist.Model.Layers;

namespace Mnist.Tests.Model.Engine;

/// <summary>Forward passes on tensors small enough to compute by hand.</summary>
public class LayerForwardTests
{
    [Test]
    public void Conv2d_Forward_OneByOneByThreeByThree_MatchesHandComputation()
    {
        var layer = new Conv2d(1, 1, 2, 3, 3);
        float[] input = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        float[] weight = [1, 0, -1, 2];
        var output = new float[4];

        layer.Forward(input, output, weight, [0.5f], new float[layer.WorkspaceSize(1)]);

        // y[oy,ox] = x[oy,ox] - x[oy+1,ox] + 2 x[oy+1,ox+1] + 0.5
        Assert.That(output, Is.EqualTo(new[] { 1 - 4 + 10 + 0.5f, 2 - 5 + 12 + 0.5f, 4 - 7 + 16 + 0.5f, 5 - 8 + 18 + 0.5f }));
    }

    [Test]
    public void Conv2d_Forward_TwoInputChannels_SumsOverChannels()
    {
        var layer = new Conv2d(2, 1, 1, 1, 2);
        var output = new float[2];

        layer.Forward([1, 2, 10, 20], output, [3, -1], [0f], new float[layer.WorkspaceSize(1)]);

        Assert.That(output, Is.EqualTo(new[] { 3 - 10f, 6 - 20f }));
    }

    [Test]
    public void MaxPool2d_Forward_FourByFour_TakesWindowMaximaAndFirstOfTies()
    {
        var layer = new MaxPool2d(1, 4, 4);
        float[] input =
        [
            1, 3, 7, 7,
            2, 0, 7, 1,
            -1, -2, 5, 6,
            -3, -4, 8, 4,
        ];
        var output = new float[4];
        var winners = new byte[4];

        layer.Forward(input, output, winners);

        Assert.That(output, Is.EqualTo(new float[] { 3, 7, -1, 8 }));
        // 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right.
        Assert.That(winners, Is.EqualTo((byte[])[1, 0, 0, 2]), "a tie goes to the first in scan order, as PyTorch");
    }

    [Test]
    public void Conv2d_Forward_TwoImagesChannelMajor_MatchesNaiveConvolution()
    {
        const int n = 2, cin = 2, cout = 3, k = 2, h = 3, w = 4;
        var layer = new Conv2d(cin, cout, k, h, w);
        var random = new Random(8);
        var input = GradientCheck.RandomValues(random, n * layer.InputSize);
        var weight = GradientCheck.RandomValues(random, layer.WeightSize);
        float[] bias = [0.5f, -1f, 2f];
        var output = new float[n * layer.OutputSize];

        layer.Forward(input, output, weight, bias, new float[layer.WorkspaceSize(n)]);

        // Channel-major: element (c, i, y, x) of a (C, N, H, W) tensor.
        int oh = h - k + 1, ow = w - k + 1;
        var expected = new float[output.Length];
        for (var o = 0; o < cout; o++)
        {
            for (var i = 0; i < n; i++)
            {
                for (var y = 0; y < oh; y++)
                {
                    for (var x = 0; x < ow; x++)
                    {
                        double sum = bias[o];
                        for (var c = 0; c < cin; c++)
                        {
                            for (var ky = 0; ky < k; ky++)
                            {
                                for (var kx = 0; kx < k; kx++)
                                {
                                    sum += weight[(((o * cin) + c) * k * k) + (ky * k) + kx] * input[(((c * n) + i) * h * w) + ((y + ky) * w) + x + kx];
                                }
                            }
                        }

                        expected[(((o * n) + i) * oh * ow) + (y * ow) + x] = (float)sum;
                    }
                }
            }
        }

        Assert.That(output, Is.EqualTo(expected).Within(1e-5f));
    }

    [Test]
    public void MaxPool2d_Forward_WideRowsChannelMajor_MatchesScanOrderReference()
    {
        // Width 10 pools to 5 columns: 4 through the SIMD path, 1 through the scalar tail; values on a coarse
        // grid so windows hold ties, plus a NaN that must propagate.
        const int n = 2, channels = 3, h = 4, w = 10;
        var layer = new MaxPool2d(channels, h, w);
        var random = new Random(9);
        var input = Enumerable.Range(0, n * layer.InputSize).Select(_ => (float)random.Next(-2, 3)).ToArray();
        input[(((1 * n) + 1) * h * w) + 13] = float.NaN;
        var output = new float[n * layer.OutputSize];
        var winners = new byte[output.Length];

        layer.Forward(input, output, winners);

        for (var c = 0; c < channels; c++)
        {
            for (var i = 0; i < n; i++)
            {
                for (var y = 0; y < h / 2; y++)
                {
                    for (var x = 0; x < w / 2; x++)
                    {
                        var best = 0;
                        var max = float.NegativeInfinity;
                        for (var j = 0; j < 4; j++)
                        {
                            var value = input[(((c * n) + i) * h * w) + (((2 * y) + (j / 2)) * w) + (2 * x) + (j % 2)];
                            if (j == 0 || value > max || float.IsNaN(value))
                            {
                                (max, best) = (value, j);
                            }
                        }

                        var o = (i * layer.OutputSize) + (c * (h / 2) * (w / 2)) + (y * (w / 2)) + x;
                        Assert.That(output[o], Is.EqualTo(max), $"output (c {c}, image {i}, y {y}, x {x})");
                        Assert.That(winners[o], Is.EqualTo(best), $"winner (c {c}, image {i}, y {y}, x {x})");
                    }
                }
            }
        }

        Assert.That(output.Count(float.IsNaN), Is.EqualTo(1), "the NaN propagated to its window");
    }

    [Test]
    public void MaxPool2d_Backward_RoutesGradientToWinners()
    {
        var layer = new MaxPool2d(1, 2, 2);
        var inputGrad = new float[] { 9, 9, 9, 9 };

        layer.Backward([2.5f], [(byte)3], inputGrad);

        Assert.That(inputGrad, Is.EqualTo(new[] { 0, 0, 0, 2.5f }));
    }

    [Test]
    public void LogSoftmax_Forward_TwoClasses_MatchesHandComputation()
    {
        var layer = new LogSoftmax(2);
        var output = new float[2];

        layer.Forward([0f, MathF.Log(3f)], output);

        Assert.That(output[0], Is.EqualTo(MathF.Log(0.25f)).Within(1e-6f));
        Assert.That(output[1], Is.EqualTo(MathF.Log(0.75f)).Within(1e-6f));
    }

    [Test]
    public void LogSoftmax_Forward_HugeLogits_StaysFinite()
    {
        var layer = new LogSoftmax(2);
        var output = new float[2];

        layer.Forward([1000f, 0f], output);

        Assert.That(output, Is.EqualTo(new[] { 0f, -1000f }));
    }

    [Test]
    public void NllLoss_Forward_IsMeanNegativeLogProbabilityOfLabels()
    {
        var loss = new NllLoss(3);

        var value = loss.Forward([-1f, -2f, -3f, -0.5f, -4f, -6f], [2, 0], 2);

        Assert.That(value, Is.EqualTo((3f + 0.5f) / 2));
    }

    [Test]
    public void Linear_Forward_MatchesHandComputation()
    {
        var layer = new Linear(2, 2);
        var output = new float[2];

        layer.Forward([1f, 2f], output, [1f, 2f, 3f, 4f], [0.5f, -0.5f]);

        Assert.That(output, Is.EqualTo(new[] { 1 + 4 + 0.5f, 3 + 8 - 0.5f }));
    }
}
