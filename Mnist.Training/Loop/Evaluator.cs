using Mnist.Model.Volume;
using Mnist.Model;
using Mnist.Model.Data;
using Mnist.Model.Inference;

namespace Mnist.Training.Loop;

/// <summary>Mean NLL loss, accuracy, confusion matrix and most confidently misread images of a network on a data set, in eval mode (no dropout), in chunks.</summary>
internal static class Evaluator
{
    // Small enough that the convolutions' scratch (im2col: 0.66 MB per image for conv2) stays far below training's peak.
    private const int ChunkImages = 100;

    /// <summary>How many of the most confidently misread images the card lists.</summary>
    public const int MostConfusedCount = 16;

    public static Evaluation Evaluate(MnistPredictor predictor, MnistDataset test, CancellationToken cancellationToken)
    {
        var logProbabilities = new float[ChunkImages * MnistShape.ClassCount];
        var confusion = new int[MnistShape.ClassCount][];
        for (var i = 0; i < confusion.Length; i++)
        {
            confusion[i] = new int[MnistShape.ClassCount];
        }

        var confused = new List<ConfusedSample>(MostConfusedCount + 1);
        double lossSum = 0;
        for (var start = 0; start < test.Count; start += ChunkImages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = Math.Min(ChunkImages, test.Count - start);
            var output = logProbabilities.AsSpan(0, n * MnistShape.ClassCount);
            predictor.LogProbabilities(test.Images.AsSpan(start * MnistShape.PixelCount, n * MnistShape.PixelCount), output);
            for (var i = 0; i < n; i++)
            {
                var row = output.Slice(i * MnistShape.ClassCount, MnistShape.ClassCount);
                var label = test.Labels[start + i];
                lossSum -= row[label];
                var predicted = MnistShape.MostLikely(row);
                confusion[label][predicted]++;
                if (predicted != label)
                {
                    Keep(confused, new ConfusedSample(start + i, label, predicted, Math.Round(Math.Exp(row[predicted]), 6)));
                }
            }
        }

        var correct = 0;
        var classAccuracy = new double[MnistShape.ClassCount];
        for (var digit = 0; digit < MnistShape.ClassCount; digit++)
        {
            correct += confusion[digit][digit];
            var images = confusion[digit].Sum();
            classAccuracy[digit] = images == 0 ? 0 : Math.Round((double)confusion[digit][digit] / images, 6);
        }

        var count = Math.Max(test.Count, 1);
        return new Evaluation(lossSum / count, (double)correct / count, correct, test.Count, classAccuracy, confusion, confused);
    }

    // A short sorted list: at most one insertion per misread image, of which there are a few hundred.
    private static void Keep(List<ConfusedSample> confused, ConfusedSample sample)
    {
        var at = confused.FindIndex(c => c.Confidence < sample.Confidence);
        if (at < 0)
        {
            at = confused.Count;
        }

        if (at < MostConfusedCount)
        {
            confused.Insert(at, sample);
            if (confused.Count > MostConfusedCount)
            {
                confused.RemoveAt(MostConfusedCount);
            }
        }
    }
}
