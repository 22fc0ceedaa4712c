using Mnist.Model.Inference;

namespace Mnist.Tests.Unit.Model;

[Category("Unit")]
public class PredictorTests
{
    private const int Count = 37;

    [Test]
    public void Predict_Batch_AgreesWithTheDoublePrecisionReference()
    {
        using var net = NetWeights.Seeded(3);
        var weights = NetWeights.Of(net);
        var (pixels, _) = MnistTestData.Load("t10k", Count);
        using var predictor = new MnistPredictor(net);

        var probabilities = new float[Count * 10];
        predictor.Predict(pixels, probabilities);
        var logProbabilities = new float[Count * 10];
        predictor.LogProbabilities(pixels, logProbabilities);

        for (var i = 0; i < Count; i++)
        {
            var expected = ReferenceNetwork.LogProbabilities(weights, pixels.AsSpan(i * 784, 784));
            for (var j = 0; j < 10; j++)
            {
                var k = (i * 10) + j;
                Assert.That(logProbabilities[k], Is.EqualTo(expected[j]).Within(1e-4), $"image {i} class {j}");
                Assert.That(probabilities[k], Is.EqualTo(Math.Exp(expected[j])).Within(1e-5), $"image {i} class {j}");
            }

            Assert.That(probabilities.AsSpan(i * 10, 10).ToArray().Sum(), Is.EqualTo(1f).Within(1e-5));
        }
    }

    [Test]
    public void Predict_OneAtATime_SameAsInOneBatch()
    {
        using var predictor = new MnistPredictor(NetWeights.Seeded(5));
        var (pixels, _) = MnistTestData.Load("t10k", 8);
        var batch = new float[8 * 10];
        predictor.Predict(pixels, batch);

        for (var i = 0; i < 8; i++)
        {
            var single = new float[10];
            predictor.Predict(pixels.AsSpan(i * 784, 784), single);
            // libtorch's kernels sum in another order for other batch sizes: equal up to float rounding.
            Assert.That(single, Is.EqualTo(batch.AsSpan(i * 10, 10).ToArray()).Within(1e-6), $"image {i}");
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public void Predict_ManyThreadsAtOnce_GiveTheSingleThreadedAnswers(CancellationToken token)
    {
        using var predictor = new MnistPredictor(NetWeights.Seeded(4));
        var (pixels, _) = MnistTestData.Load("t10k", 8);
        var expected = new float[8 * 10];
        predictor.Predict(pixels, expected);

        var failures = 0;
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = token }, call =>
        {
            var i = call % 8;
            var actual = new float[10];
            predictor.Predict(pixels.AsSpan(i * 784, 784), actual);
            for (var j = 0; j < 10; j++)
            {
                if (Math.Abs(actual[j] - expected[(i * 10) + j]) > 1e-6)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });

        Assert.That(failures, Is.Zero);
    }

    [Test]
    public void Predict_WrongSizes_ThrowWithReason()
    {
        using var predictor = new MnistPredictor(NetWeights.Seeded(1));

        Assert.That(() => predictor.Predict(new byte[783], new float[10]), Throws.ArgumentException.With.Message.Contains("784"));
        Assert.That(() => predictor.Predict([], new float[10]), Throws.ArgumentException.With.Message.Contains("784"));
        Assert.That(() => predictor.Predict(new byte[2 * 784], new float[10]), Throws.ArgumentException.With.Message.Contains("exactly 20"));
    }
}
