using Mnist.Model.Data;
using Mnist.Model.Inference;
using Mnist.Model.Network;

namespace Mnist.Training.Training;

/// <summary>Mean NLL loss and accuracy of a network on a data set, in eval mode (no dropout), in chunks.</summary>
internal static class Evaluator
{
    private const int ChunkImages = 500;

    public static Evaluation Evaluate(MnistNet net, MnistDataset test, CancellationToken cancellationToken)
    {
        var predictor = new MnistPredictor(net);
        var images = new float[ChunkImages * MnistNet.PixelCount];
        var logProbabilities = new float[ChunkImages * MnistNet.ClassCount];
        double lossSum = 0;
        var correct = 0;
        for (var start = 0; start < test.Count; start += ChunkImages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = Math.Min(ChunkImages, test.Count - start);
            var pixels = test.Images.AsSpan(start * MnistNet.PixelCount, n * MnistNet.PixelCount);
            MnistNormalization.Normalize(pixels, images.AsSpan(0, pixels.Length));
            var output = logProbabilities.AsSpan(0, n * MnistNet.ClassCount);
            predictor.LogProbabilities(images.AsSpan(0, pixels.Length), output);
            for (var i = 0; i < n; i++)
            {
                var row = output.Slice(i * MnistNet.ClassCount, MnistNet.ClassCount);
                var label = test.Labels[start + i];
                lossSum -= row[label];
                if (ArgMax(row) == label)
                {
                    correct++;
                }
            }
        }

        var count = Math.Max(test.Count, 1);
        return new Evaluation(lossSum / count, (double)correct / count, correct, test.Count);
    }

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var i = 1; i < row.Length; i++)
        {
            if (row[i] > row[best])
            {
                best = i;
            }
        }

        return best;
    }
}
