using Google.Protobuf.WellKnownTypes;
using Mnist.V1;

namespace Mnist.Inference.Grpc.ModelCards;

/// <summary>A version's card from the volume (<see cref="Model.Volume.ModelVolumeReader"/>), as the GetModel answer and the plots.</summary>
public static class ModelCardReader
{
    /// <summary>The card of <paramref name="version"/>, or null when the trainer wrote none for it.</summary>
    /// <exception cref="InvalidDataException">The card is there but unreadable, not plain files, or names another version.</exception>
    /// <exception cref="IOException">A file could not be read.</exception>
    public static ModelCard? Read(string modelDirectory, string version) =>
        Model.Volume.ModelVolumeReader.ReadCard(modelDirectory, version) is { } published
            ? new ModelCard(ToInfo(published.Info, published.Card), published.Plots)
            : null;

    private static V1.ModelInfo ToInfo(Model.Volume.ModelInfo model, Model.Volume.ModelCard card)
    {
        var info = new V1.ModelInfo
        {
            ModelVersion = model.ModelVersion,
            CreatedTime = Timestamp.FromDateTimeOffset(model.CreatedUtc),
            HyperParameters = new HyperParameters
            {
                Epochs = model.Epochs,
                BatchSize = model.BatchSize,
                LearningRate = model.LearningRate,
                Gamma = model.Gamma,
                Seed = model.Seed,
                Threads = model.Threads,
            },
            TestAccuracy = model.TestAccuracy,
            TestLoss = model.TestLoss,
            TestImages = model.TestImages,
            TrainingImages = model.TrainingImages,
            TrainingSeconds = model.TrainingSeconds,
            TorchsharpVersion = model.TorchSharpVersion,
            LibtorchVersion = model.LibTorchVersion,
        };
        info.ClassAccuracy.Add(model.TestClassAccuracy);
        foreach (var row in model.ConfusionMatrix)
        {
            var counts = new ConfusionRow();
            counts.Counts.Add(row);
            info.ConfusionMatrix.Add(counts);
        }

        foreach (var e in card.Epochs)
        {
            info.Epochs.Add(new V1.EpochMetrics
            {
                Epoch = e.Epoch, TrainLoss = e.TrainLoss, TestLoss = e.TestLoss, TestAccuracy = e.TestAccuracy,
                LearningRate = e.LearningRate, Seconds = e.Seconds,
            });
        }

        foreach (var c in card.MostConfused)
        {
            info.MostConfused.Add(new V1.ConfusedSample { Id = c.Id, Label = c.Label, Predicted = c.Predicted, Confidence = (float)c.Confidence });
        }

        info.Plots.Add(card.Plots);
        return info;
    }
}
