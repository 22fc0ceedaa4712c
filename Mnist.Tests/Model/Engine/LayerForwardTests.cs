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

        layer.Forward(input, output, weight, [0.5f], new float[layer.ColumnsSize]);

        // y[oy,ox] = x[oy,ox] - x[oy+1,ox] + 2 x[oy+1,ox+1] + 0.5
        Assert.That(output, Is.EqualTo(new[] { 1 - 4 + 10 + 0.5f, 2 - 5 + 12 + 0.5f, 4 - 7 + 16 + 0.5f, 5 - 8 + 18 + 0.5f }));
    }

    [Test]
    public void Conv2d_Forward_TwoInputChannels_SumsOverChannels()
    {
        var layer = new Conv2d(2, 1, 1, 1, 2);
        var output = new float[2];

        layer.Forward([1, 2, 10, 20], output, [3, -1], [0f], new float[layer.ColumnsSize]);

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
        var winners = new int[4];

        layer.Forward(input, output, winners);

        Assert.That(output, Is.EqualTo(new float[] { 3, 7, -1, 8 }));
        Assert.That(winners, Is.EqualTo((int[])[1, 2, 8, 14]), "a tie goes to the first in scan order, as PyTorch");
    }

    [Test]
    public void MaxPool2d_Backward_RoutesGradientToWinners()
    {
        var layer = new MaxPool2d(1, 2, 2);
        var inputGrad = new float[] { 9, 9, 9, 9 };

        layer.Backward([2.5f], [3], inputGrad);

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
