using Mnist.Model;
using System.Diagnostics;
using Mnist.Model.Data;
using Mnist.Model.Network;
using Mnist.Training.Progress;
using TorchSharp;
using static TorchSharp.torch;

namespace Mnist.Training.Loop;

/// <summary>
/// PyTorch's MNIST example recipe on TorchSharp: seed; per epoch a shuffle, then per batch zero-grad,
/// forward, NLL loss, backward and an Adadelta step, each batch's tensors freed by its own dispose scope;
/// StepLR after each epoch. After each epoch, before the step, an optional hook sees the network in eval mode
/// (the trainer evaluates it on the test set for the training curve).
/// </summary>
internal sealed class TrainingLoop(TrainingOptions options, ITrainingObserver observer)
{
    /// <summary>Trains a new network; the caller owns (and disposes) it.</summary>
    /// <param name="epochEnded">Called after each epoch with the network in eval mode; training resumes in train mode.</param>
    public MnistNet Run(MnistDataset train, CancellationToken cancellationToken, Action<MnistNet, EpochEnd>? epochEnded = null)
    {
        // One seed drives libtorch's generator, and it draws everything, as in PyTorch's example: the
        // initialisation, each epoch's shuffle (randperm, as DataLoader's sampler) and the dropout masks.
        torch.manual_seed(options.Seed);
        var net = new MnistNet();
        try
        {
            Train(net, train, epochEnded, cancellationToken);
            return net;
        }
        catch
        {
            net.Dispose();
            throw;
        }
    }

    private void Train(MnistNet net, MnistDataset train, Action<MnistNet, EpochEnd>? epochEnded, CancellationToken cancellationToken)
    {
        net.train();
        using var optimizer = optim.Adadelta(net.parameters(), options.LearningRate);
        var schedule = optim.lr_scheduler.StepLR(optimizer, step_size: 1, gamma: options.Gamma);
        // The whole set stays uint8 (47 MB); each batch is gathered and normalised on its own.
        using var images = tensor(train.Images, [train.Count, MnistShape.PixelCount]);
        using var labels = tensor(train.Labels, [train.Count]).to(ScalarType.Int64);
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var learningRate = schedule.get_last_lr().First();
            observer.EpochStarted(epoch, options.Epochs, train.Count, (float)learningRate);
            var started = Stopwatch.GetTimestamp();
            using var order = randperm(train.Count);
            double lossSum = 0;
            var batches = 0;
            for (var start = 0; start < train.Count; start += options.BatchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var n = Math.Min(options.BatchSize, train.Count - start);
                var loss = Step(net, optimizer, images, labels, order, start, n);
                if (!float.IsFinite(loss))
                {
                    throw new TrainingDivergedException(
                        $"Training diverged: the loss became {loss} in epoch {epoch}; try a smaller --lr (now {options.LearningRate}).");
                }

                lossSum += loss;
                batches++;
                observer.BatchCompleted(start + n, loss);
            }

            var meanLoss = lossSum / Math.Max(batches, 1);
            var elapsed = Stopwatch.GetElapsedTime(started);
            observer.EpochCompleted(epoch, (float)meanLoss, elapsed);
            if (epochEnded is not null)
            {
                net.eval();
                epochEnded(net, new EpochEnd(epoch, meanLoss, learningRate, elapsed));
                net.train();
            }

            schedule.step();
        }
    }

    private static float Step(MnistNet net, optim.Optimizer optimizer, Tensor images, Tensor labels, Tensor order, int start, int count)
    {
        using var scope = NewDisposeScope();
        var index = order.narrow(0, start, count);
        optimizer.zero_grad();
        var output = net.forward(images.index_select(0, index));
        var loss = nn.functional.nll_loss(output, labels.index_select(0, index));
        loss.backward();
        optimizer.step();
        return loss.item<float>();
    }
}
