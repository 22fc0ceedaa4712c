using System.Diagnostics;
using Mnist.Model.Data;
using Mnist.Model.Network;
using Mnist.Model.Optimizers;
using Mnist.Model.Training;
using Mnist.Training.Progress;

namespace Mnist.Training.Training;

/// <summary>
/// The classic PyTorch MNIST recipe: seed; per epoch a seeded shuffle, then per batch zero-grad, forward,
/// loss, backward and an Adadelta step (all inside <see cref="TrainingStep.Run"/>); StepLR after each epoch.
/// </summary>
internal sealed class TrainingLoop(TrainingOptions options, ITrainingObserver observer)
{
    public MnistNet Run(MnistDataset train, CancellationToken cancellationToken)
    {
        var net = MnistNet.CreateInitialized(options.Seed);
        var optimizer = new Adadelta(net.Parameters, options.LearningRate);
        var schedule = new StepLearningRate(optimizer, stepSize: 1, options.Gamma);
        var step = new TrainingStep(net, options.BatchSize, options.Seed);
        var shuffle = new Random(options.Seed);
        var order = Enumerable.Range(0, train.Count).ToArray();
        var images = new float[options.BatchSize * MnistNet.PixelCount];
        var labels = new byte[options.BatchSize];

        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            observer.EpochStarted(epoch, options.Epochs, train.Count, optimizer.LearningRate);
            var started = Stopwatch.GetTimestamp();
            shuffle.Shuffle(order);
            double lossSum = 0;
            var batches = 0;
            for (var start = 0; start < train.Count; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var n = Math.Min(options.BatchSize, train.Count - start);
                for (var j = 0; j < n; j++)
                {
                    var index = order[start + j];
                    MnistNormalization.Normalize(train.Image(index), images.AsSpan(j * MnistNet.PixelCount, MnistNet.PixelCount));
                    labels[j] = train.Labels[index];
                }

                var loss = step.Run(images.AsSpan(0, n * MnistNet.PixelCount), labels.AsSpan(0, n), optimizer);
                if (!float.IsFinite(loss))
                {
                    throw new TrainingDivergedException(
                        $"Training diverged: the loss became {loss} in epoch {epoch}; try a smaller --lr (now {options.LearningRate}).");
                }

                lossSum += loss;
                batches++;
                observer.BatchCompleted(start + n, loss);
            }

            schedule.Step();
            observer.EpochCompleted(epoch, (float)(lossSum / Math.Max(batches, 1)), Stopwatch.GetElapsedTime(started));
        }

        return net;
    }
}
