using Mnist.Model.Inference;
using Mnist.Model.Network;

namespace Mnist.Tests.Model.Engine;

public class PredictorTests
{
    private const int Count = 37; // not a multiple of the batch chunk, to cover a partial chunk

    [Test]
    public void PredictAndPredictBatch_AgreeWithTrainingForwardWithoutDropout()
    {
        var net = MnistNet.CreateInitialized(3);
        var (pixels, _) = MnistTestData.Load("t10k", Count);
        var images = new float[pixels.Length];
        MnistNormalization.Normalize(pixels, images);
        var expected = new ForwardPass(Count, training: false).Run(net, images).ToArray();
        var predictor = new MnistPredictor(net);

        var batch = new float[Count * 10];
        predictor.PredictBatch(pixels, batch);
        var logProbabilities = new float[Count * 10];
        predictor.LogProbabilities(images, logProbabilities);

        for (var i = 0; i < Count; i++)
        {
            var single = new float[10];
            predictor.Predict(pixels.AsSpan(i * 784, 784), single);
            for (var j = 0; j < 10; j++)
            {
                var k = (i * 10) + j;
                Assert.That(single[j], Is.EqualTo(MathF.Exp(expected[k])).Within(1e-6), $"Predict image {i} class {j}");
                Assert.That(batch[k], Is.EqualTo(MathF.Exp(expected[k])).Within(1e-6), $"PredictBatch image {i} class {j}");
                Assert.That(logProbabilities[k], Is.EqualTo(expected[k]).Within(1e-5), $"LogProbabilities image {i} class {j}");
            }

            Assert.That(single.Sum(), Is.EqualTo(1f).Within(1e-5));
        }
    }

    [Test]
    public void Predict_ManyThreadsAtOnce_GiveTheSingleThreadedAnswers()
    {
        var predictor = new MnistPredictor(MnistNet.CreateInitialized(4));
        var (pixels, _) = MnistTestData.Load("t10k", 8);
        var expected = new float[8 * 10];
        for (var i = 0; i < 8; i++)
        {
            predictor.Predict(pixels.AsSpan(i * 784, 784), expected.AsSpan(i * 10, 10));
        }

        var mismatches = 0;
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, call =>
        {
            var image = call % 8;
            Span<float> probabilities = stackalloc float[10];
            predictor.Predict(pixels.AsSpan(image * 784, 784), probabilities);
            if (!probabilities.SequenceEqual(expected.AsSpan(image * 10, 10)))
            {
                Interlocked.Increment(ref mismatches);
            }
        });

        Assert.That(mismatches, Is.Zero);
    }

    [Test]
    public void Predictor_KeepsItsOwnCopyOfTheWeights()
    {
        var net = MnistNet.CreateInitialized(5);
        var predictor = new MnistPredictor(net);
        var pixels = new byte[784];
        pixels.AsSpan(300, 100).Fill(255);
        var before = new float[10];
        predictor.Predict(pixels, before);

        net["fc2.bias"].Value[0] += 100f;
        var after = new float[10];
        predictor.Predict(pixels, after);

        Assert.That(after, Is.EqualTo(before));
    }

    [Test]
    public void Predict_WrongLengths_ThrowWithReason()
    {
        var predictor = new MnistPredictor(MnistNet.CreateZeroed());

        Assert.That(() => predictor.Predict(new byte[783], new float[10]), Throws.ArgumentException.With.Message.Contains("784"));
        Assert.That(() => predictor.Predict(new byte[784], new float[9]), Throws.ArgumentException.With.Message.Contains("10"));
        Assert.That(() => predictor.PredictBatch(new byte[785], new float[10]), Throws.ArgumentException.With.Message.Contains("784"));
        Assert.That(() => predictor.PredictBatch(new byte[2 * 784], new float[10]), Throws.ArgumentException.With.Message.Contains("20"));
    }

    [Test]
    public void Predict_ZeroedNet_GivesUniformProbabilities()
    {
        var probabilities = new float[10];

        new MnistPredictor(MnistNet.CreateZeroed()).Predict(new byte[784], probabilities);

        Assert.That(probabilities, Is.All.EqualTo(0.1f).Within(1e-6));
    }
}
