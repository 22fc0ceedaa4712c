using Mnist.Model.Inference;
using Mnist.Model.Weights;
using Mnist.Training;
using Mnist.Training.Loop;

namespace Mnist.Tests.Unit.Training;

[Category("Unit")]
public class TrainingLoopTests
{
    [Test]
    [CancelAfter(120_000)]
    public void Run_SameSeedTwice_SameWeightsByteForByte(CancellationToken token)
    {
        var data = MnistTestData.Train.Take(640);

        var first = Train(data, seed: 11, token);
        var second = Train(data, seed: 11, token);
        var other = Train(data, seed: 12, token);

        Assert.That(second, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
    }

    [Test]
    [CancelAfter(120_000)]
    public void Run_OneEpochOnFewThousandImages_BeatsNinetyPercentOnTestSet(CancellationToken token)
    {
        // TestModel.LoopWeights: the training loop's run on 4,096 images, shared with the other unit tests.
        using var predictor = new MnistPredictor(MnistWeights.Load(TestModel.LoopWeights));

        var evaluation = Evaluator.Evaluate(predictor, MnistTestData.Test.Take(2000), token);

        Assert.That(evaluation.Accuracy, Is.GreaterThan(0.90));
        Assert.That(evaluation.Confusion.Sum(row => row.Sum()), Is.EqualTo(2000));
        Assert.That(evaluation.Correct, Is.EqualTo(Enumerable.Range(0, 10).Sum(d => evaluation.Confusion[d][d])));
    }

    [Test]
    public void Run_Cancelled_ThrowsOperationCanceled()
    {
        var options = new TrainingOptions("", "", Seed: 1);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.That(() => new TrainingLoop(options, new SilentTrainingObserver()).Run(MnistTestData.Train.Take(640), cancelled.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    private static byte[] Train(Mnist.Model.Data.MnistDataset data, int seed, CancellationToken token)
    {
        using var net = new TrainingLoop(new TrainingOptions("", "", Seed: seed), new SilentTrainingObserver()).Run(data, token);
        return MnistWeights.Serialize(net);
    }
}
