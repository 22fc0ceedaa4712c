using System.Text.Json;
using Mnist.Model.Data;
using Mnist.Model.Inference;
using Mnist.Model.Weights;
using TorchSharp;
using Mnist.Training.Plots;
using Mnist.Training.Progress;
using Mnist.Model.Volume;
using Mnist.Training.Loop;

namespace Mnist.Training;

/// <summary>
/// One trainer run: check the model directory, load the data, train, evaluate on the test set after each epoch,
/// draw the card, publish.
/// Maps every expected failure to an exit code and a one-line reason on the error writer.
/// </summary>
internal sealed class TrainingJob(TrainingOptions options, TextWriter output, TextWriter error, TimeProvider time)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await Task.Run(() => Run(cancellationToken), cancellationToken);
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("Training cancelled; the previous model (if any) was left untouched.");
            return ExitCodes.Cancelled;
        }
        catch (MnistDataException problem)
        {
            error.WriteLine(problem.Message);
            return ExitCodes.BadData;
        }
        catch (ModelDirectoryException problem)
        {
            error.WriteLine(problem.Message);
            return ExitCodes.ModelDirectoryNotWritable;
        }
        catch (PlotsUnavailableException problem)
        {
            error.WriteLine(problem.Message);
            return ExitCodes.Failed;
        }
        catch (TrainingDivergedException problem)
        {
            error.WriteLine(problem.Message);
            return ExitCodes.Failed;
        }
        catch (Exception problem)
        {
            // A bug, not bad input: still one line, no stack trace in the Job's log; nothing was published.
            error.WriteLine($"Training failed: {problem.GetType().Name}: {problem.Message}");
            return ExitCodes.Failed;
        }
    }

    private int Run(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        ModelPublisher.EnsureWritable(options.ModelDirectory);
        CardPlots.EnsureAvailable();
        var train = MnistDataset.LoadTrain(options.DataDirectory);
        if (options.Limit is { } limit)
        {
            train = train.Take(limit);
        }

        var test = MnistDataset.LoadTest(options.DataDirectory);
        output.WriteLine($"Training on {train.Count} images from {Path.GetFullPath(options.DataDirectory)} with {options.Threads} thread(s): " +
                         $"{options.Epochs} epoch(s), batch {options.BatchSize}, lr {options.LearningRate}, gamma {options.Gamma}, seed {options.Seed}.");

        // libtorch's intra-op thread pool is process-wide: --threads caps training and evaluation alike.
        torch.set_num_threads(options.Threads);
        var trainingStarted = time.GetTimestamp();
        var epochs = new List<EpochMetrics>(options.Epochs);
        Evaluation? evaluation = null;
        var weights = ProgressReporter.Create(output, time).Run(observer =>
        {
            // The test set after every epoch, for the training curve; the last epoch's evaluation is the model's.
            using var trained = new TrainingLoop(options, observer).Run(train, cancellationToken, (net, end) =>
            {
                observer.Status($"Evaluating on {test.Count} test images...");
                using var predictor = new MnistPredictor(net, ownsNet: false);
                evaluation = Evaluator.Evaluate(predictor, test, cancellationToken);
                epochs.Add(new EpochMetrics(end.Epoch, Math.Round(end.TrainLoss, 6), Math.Round(evaluation.Loss, 6),
                    evaluation.Accuracy, end.LearningRate, Math.Round(end.Elapsed.TotalSeconds, 3)));
            });
            return MnistWeights.Serialize(trained);
        });
        var trainingSeconds = time.GetElapsedTime(trainingStarted).TotalSeconds;
        var final = evaluation ?? throw new InvalidOperationException("Training ended without an evaluation.");

        // Last chance to stop: once publishing starts it runs to completion (each file swap is atomic).
        cancellationToken.ThrowIfCancellationRequested();
        var info = ModelPublisher.Publish(options.ModelDirectory, weights,
            version => Describe(version, final, train, test, trainingSeconds, started),
            described => CardFiles(described, epochs, final));
        output.WriteLine($"Test accuracy {final.Accuracy:P2} ({final.Correct}/{final.Images}), test loss {final.Loss:F4}.");
        output.WriteLine($"Wrote {Path.Combine(options.ModelDirectory, ModelVolume.WeightsFileName)} (model_version {info.ModelVersion}), " +
                         $"{ModelVolume.InfoFileName} and its card in {ModelVolume.CardsDirectoryName}/{info.ModelVersion}/ in {info.TotalSeconds:F1} s.");
        return ExitCodes.Ok;
    }

    private static IReadOnlyList<(string Name, byte[] Bytes)> CardFiles(ModelInfo info, IReadOnlyList<EpochMetrics> epochs, Evaluation evaluation)
    {
        var card = new ModelCard
        {
            ModelVersion = info.ModelVersion,
            Epochs = epochs,
            MostConfused = evaluation.MostConfused,
            Plots = [CardPlots.TrainingCurveFile, CardPlots.ConfusionMatrixFile],
        };
        return
        [
            (ModelVolume.CardFileName, JsonSerializer.SerializeToUtf8Bytes(card, VolumeJsonContext.Default.ModelCard)),
            (CardPlots.TrainingCurveFile, CardPlots.TrainingCurve(epochs)),
            (CardPlots.ConfusionMatrixFile, CardPlots.ConfusionMatrix(evaluation.Confusion)),
        ];
    }

    private ModelInfo Describe(string version, Evaluation evaluation, MnistDataset train, MnistDataset test, double trainingSeconds, long started) => new()
    {
        ModelVersion = version,
        TestAccuracy = evaluation.Accuracy,
        TestLoss = evaluation.Loss,
        TestImages = evaluation.Images,
        TestClassAccuracy = evaluation.ClassAccuracy,
        ConfusionMatrix = evaluation.Confusion,
        TrainingImages = train.Count,
        Epochs = options.Epochs,
        Seed = options.Seed,
        BatchSize = options.BatchSize,
        LearningRate = options.LearningRate,
        Gamma = options.Gamma,
        Threads = options.Threads,
        TrainingSeconds = Math.Round(trainingSeconds, 3),
        TotalSeconds = Math.Round(time.GetElapsedTime(started).TotalSeconds, 3),
        DataFiles = [.. train.Files.Concat(test.Files).Select(f => new DataFileInfo(f.FileName, f.Sha256))],
        TorchSharpVersion = TorchRuntime.TorchSharpVersion,
        LibTorchVersion = TorchRuntime.LibTorchVersion,
        CreatedUtc = time.GetUtcNow(),
    };
}
