using Mnist.Model.Network;
using Mnist.Model.Optimizers;

namespace Mnist.Tests.Model.Engine;

public class OptimizerTests
{
    [Test]
    public void Adadelta_TwoSteps_MatchHandComputedValues()
    {
        var parameter = new Parameter("p", [2]);
        parameter.Value[0] = 1f;
        parameter.Value[1] = -2f;
        var optimizer = new Adadelta([parameter]);
        double[] expected = [1, -2];
        double[] squareAverage = [0, 0], accumulatedDelta = [0, 0];
        double[][] grads = [[0.5, -3], [0.25, 1]];

        foreach (var grad in grads)
        {
            parameter.Grad[0] = (float)grad[0];
            parameter.Grad[1] = (float)grad[1];
            optimizer.Step();
            for (var i = 0; i < 2; i++)
            {
                // PyTorch's Adadelta, lr 1, rho 0.9, eps 1e-6.
                squareAverage[i] = (0.9 * squareAverage[i]) + (0.1 * grad[i] * grad[i]);
                var delta = Math.Sqrt(accumulatedDelta[i] + 1e-6) / Math.Sqrt(squareAverage[i] + 1e-6) * grad[i];
                accumulatedDelta[i] = (0.9 * accumulatedDelta[i]) + (0.1 * delta * delta);
                expected[i] -= delta;
            }
        }

        Assert.That(parameter.Value[0], Is.EqualTo(expected[0]).Within(1e-6));
        Assert.That(parameter.Value[1], Is.EqualTo(expected[1]).Within(1e-6));
        Assert.That(expected[0], Is.Not.EqualTo(1).Within(1e-3), "the step is large enough to be seen");
    }

    [Test]
    public void Adadelta_ZeroGrad_ClearsGradients()
    {
        var parameter = new Parameter("p", [3]);
        parameter.Grad.AsSpan().Fill(2f);

        new Adadelta([parameter]).ZeroGrad();

        Assert.That(parameter.Grad, Is.All.EqualTo(0f));
    }

    [Test]
    public void StepLearningRate_ThreeEpochs_DecaysByGammaEachEpoch()
    {
        var optimizer = new Adadelta([new Parameter("p", [1])], learningRate: 1f);
        var schedule = new StepLearningRate(optimizer, stepSize: 1, gamma: 0.7f);

        schedule.Step();
        Assert.That(optimizer.LearningRate, Is.EqualTo(0.7f));
        schedule.Step();
        schedule.Step();

        Assert.That(optimizer.LearningRate, Is.EqualTo((float)(0.7 * 0.7 * 0.7)));
    }

    [Test]
    public void StepLearningRate_StepSizeTwo_DecaysEveryOtherEpoch()
    {
        var optimizer = new Adadelta([new Parameter("p", [1])], learningRate: 0.5f);
        var schedule = new StepLearningRate(optimizer, stepSize: 2, gamma: 0.5f);

        schedule.Step();
        Assert.That(optimizer.LearningRate, Is.EqualTo(0.5f));
        schedule.Step();

        Assert.That(optimizer.LearningRate, Is.EqualTo(0.25f));
    }
}
