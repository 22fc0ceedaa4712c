using Mnist.Model.Inference;
using Mnist.Model.Network;
using Mnist.Model.Optimizers;
using Mnist.Model.Training;

namespace Mnist.Tests.Model.Engine;

public class TrainingTests
{
    [Test]
    public void CreateInitialized_SameSeed_SameWeights_OtherSeed_OtherWeights()
    {
        var a = MnistNet.CreateInitialized(42);
        var b = MnistNet.CreateInitialized(42);
        var c = MnistNet.CreateInitialized(43);

        for (var i = 0; i < a.Parameters.Count; i++)
        {
            Assert.That(b.Parameters[i].Value, Is.EqualTo(a.Parameters[i].Value), a.Parameters[i].Name);
            Assert.That(c.Parameters[i].Value, Is.Not.EqualTo(a.Parameters[i].Value), a.Parameters[i].Name);
        }
    }

    [TestCase("conv1.weight", 9)]
    [TestCase("conv2.weight", 288)]
    [TestCase("fc1.weight", 9216)]
    [TestCase("fc2.bias", 128)]
    public void CreateInitialized_Values_AreUniformWithinOneOverSqrtFanIn(string name, int fanIn)
    {
        var values = MnistNet.CreateInitialized(1)[name].Value;
        var bound = 1 / Math.Sqrt(fanIn);

        Assert.That(values.Max(Math.Abs), Is.LessThanOrEqualTo(bound).And.GreaterThan(0.8 * bound));
        Assert.That(values.Average(), Is.EqualTo(0).Within(0.6 * bound / Math.Sqrt(values.Length) * 3 + 1e-9));
        // The variance of U(-b, b) is b^2/3.
        Assert.That(values.Average(v => (double)v * v), Is.EqualTo(bound * bound / 3).Within(bound * bound / 3 * (values.Length > 100 ? 0.1 : 0.6)));
    }

    [Test]
    public void TrainingStep_SameSeeds_SameLossesAndWeights()
    {
        var (images, labels) = Batch(0, 32);

        var (lossesA, netA) = TrainSteps(images, labels, steps: 3);
        var (lossesB, netB) = TrainSteps(images, labels, steps: 3);

        Assert.That(lossesB, Is.EqualTo(lossesA));
        Assert.That(netB["fc1.weight"].Value, Is.EqualTo(netA["fc1.weight"].Value));
        Assert.That(netB["conv1.weight"].Value, Is.EqualTo(netA["conv1.weight"].Value));
        Assert.That(lossesA[2], Is.LessThan(lossesA[0]), "three Adadelta steps on one batch lower its loss");
    }

    [Test]
    public void TrainingStep_InvalidBatch_ThrowsWithReason()
    {
        var net = MnistNet.CreateInitialized(1);
        var step = new TrainingStep(net, 4, 1);
        var optimizer = new Adadelta(net.Parameters);

        Assert.That(() => step.Run(new float[5 * 784], new byte[5], optimizer), Throws.ArgumentException.With.Message.Contains("1 to 4"));
        Assert.That(() => step.Run(new float[783], new byte[1], optimizer), Throws.ArgumentException.With.Message.Contains("784"));
        Assert.That(() => step.Run(new float[784], [10], optimizer), Throws.ArgumentException.With.Message.Contains("[0, 9]"));
    }

    [Test]
    [CancelAfter(60_000)]
    public void TrainingStep_OneEpochOnFewThousandImages_BeatsNinetyPercentOnTestSet()
    {
        const int trainCount = 4096, testCount = 1000, batchSize = 64;
        var (images, labels) = Batch(0, trainCount);
        var net = MnistNet.CreateInitialized(1);
        var optimizer = new Adadelta(net.Parameters);
        var step = new TrainingStep(net, batchSize, 1);

        for (var start = 0; start < trainCount; start += batchSize)
        {
            step.Run(images.AsSpan(start * 784, batchSize * 784), labels.AsSpan(start, batchSize), optimizer);
        }

        var (testPixels, testLabels) = MnistTestData.Load("t10k", testCount);
        var probabilities = new float[testCount * 10];
        new MnistPredictor(net).PredictBatch(testPixels, probabilities);
        var correct = Enumerable.Range(0, testCount)
            .Count(i => probabilities.AsSpan(i * 10, 10).IndexOf(probabilities.AsSpan(i * 10, 10).ToArray().Max()) == testLabels[i]);

        Assert.That(correct / (double)testCount, Is.GreaterThan(0.90));
    }

    private static (float[] Losses, MnistNet Net) TrainSteps(float[] images, byte[] labels, int steps)
    {
        var net = MnistNet.CreateInitialized(7);
        var optimizer = new Adadelta(net.Parameters);
        var step = new TrainingStep(net, labels.Length, 9);
        var losses = new float[steps];
        for (var i = 0; i < steps; i++)
        {
            losses[i] = step.Run(images, labels, optimizer);
        }

        return (losses, net);
    }

    private static (float[] Images, byte[] Labels) Batch(int start, int count)
    {
        var (pixels, labels) = MnistTestData.Load("train", start + count);
        var images = new float[count * 784];
        MnistNormalization.Normalize(pixels.AsSpan(start * 784, count * 784), images);
        return (images, labels[start..]);
    }
}
