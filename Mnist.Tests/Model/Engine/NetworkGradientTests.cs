using Mnist.Model.Network;
using Mnist.Model.Training;

namespace Mnist.Tests.Model.Engine;

/// <summary>
/// The whole network's backward (dropout on, masks fixed) against double-precision finite differences of an
/// independent naive forward pass (<see cref="ReferenceNetwork"/>). The loss has many ReLU and max-pool kinks,
/// so the step is tiny; double precision is what makes a tiny step exact enough.
/// </summary>
public class NetworkGradientTests
{
    private const int BatchSize = 2;

    [TestCase("conv1.weight")]
    [TestCase("conv1.bias")]
    [TestCase("conv2.weight")]
    [TestCase("conv2.bias")]
    [TestCase("fc1.weight")]
    [TestCase("fc1.bias")]
    [TestCase("fc2.weight")]
    [TestCase("fc2.bias")]
    public void TrainingWorker_ParameterGradient_MatchesFiniteDifferences(string name)
    {
        var (net, images, labels, worker, mask1, mask2) = Arrange();
        var index = net.Parameters.ToList().FindIndex(p => p.Name == name);
        var analytic = (float[])worker.Gradients[index].Clone();
        // The elements with the largest gradients, plus a few random ones.
        var random = new Random(3);
        var elements = Enumerable.Range(0, analytic.Length).OrderByDescending(i => Math.Abs(analytic[i])).Take(3)
            .Concat(Enumerable.Range(0, 2).Select(_ => random.Next(analytic.Length))).Distinct();

        GradientCheck.AssertMatches(
            "MnistNet", name, net[name].Value, analytic, () => ReferenceNetwork.Loss(net, images, labels, mask1, mask2),
            step: 1e-6, absoluteTolerance: 1e-5, relativeTolerance: 1e-2, elements: elements);
        Assert.That(analytic.Max(Math.Abs), Is.GreaterThan(1e-4f), "the gradient is not trivially zero");
    }

    [Test]
    public void TrainingWorker_Loss_MatchesReferenceForward()
    {
        var (net, images, labels, worker, mask1, mask2) = Arrange();

        var loss = worker.Run(net, images, labels, BatchSize, new DropoutStream(5, 0, 0));

        Assert.That(loss, Is.EqualTo(ReferenceNetwork.Loss(net, images, labels, mask1, mask2)).Within(1e-5));
        Assert.That(mask1.Count(m => m == 0f) / (double)mask1.Length, Is.EqualTo(0.25).Within(0.05), "dropout 0.25 drops about a quarter");
        Assert.That(mask2.Count(m => m == 0f) / (double)mask2.Length, Is.EqualTo(0.5).Within(0.15), "dropout 0.5 drops about half");
    }

    private static (MnistNet Net, float[] Images, byte[] Labels, TrainingWorker Worker, float[] Mask1, float[] Mask2) Arrange()
    {
        var net = MnistNet.CreateInitialized(11);
        var (pixels, labels) = MnistTestData.Load("train", BatchSize);
        var images = new float[pixels.Length];
        MnistNormalization.Normalize(pixels, images);
        var worker = new TrainingWorker(BatchSize);
        worker.Run(net, images, labels, BatchSize, new DropoutStream(5, 0, 0));
        var mask1 = worker.Forward.Mask1[..(BatchSize * 9216)];
        var mask2 = worker.Forward.Mask2[..(BatchSize * 128)];
        return (net, images, labels, worker, mask1, mask2);
    }
}
