using Mnist.Model.Volume;

namespace Mnist.Tests.Unit.Volume;

/// <summary>What the trainer publishes is what the server reads, through the one set of volume types.</summary>
[Category("Unit")]
public class ModelVolumeTests
{
    private static readonly byte[] s_weights = [1, 2, 3, 4];

    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("mnist-volume-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Publish_ThenReadCard_ReturnsWhatTheTrainerWrote()
    {
        var info = Publish();

        var read = ModelVolumeReader.ReadCard(_dir, info.ModelVersion);

        Assert.That(read, Is.Not.Null);
        Assert.That(read!.Info with { ConfusionMatrix = [], TestClassAccuracy = [], DataFiles = [] },
            Is.EqualTo(info with { ConfusionMatrix = [], TestClassAccuracy = [], DataFiles = [] }));
        Assert.That(read.Info.ConfusionMatrix.SelectMany(r => r), Is.EqualTo(info.ConfusionMatrix.SelectMany(r => r)));
        Assert.That(read.Info.DataFiles, Is.EqualTo(info.DataFiles));
        Assert.That(read.Card.Epochs, Is.EqualTo(new[] { new EpochMetrics(1, 0.3, 0.1, 0.97, 1.0, 12.5) }));
        Assert.That(read.Plots["curve.png"], Is.EqualTo(new byte[] { 0x89, 0x50 }));
        Assert.That(ModelVolumeReader.ReadWeights(_dir), Is.EqualTo(s_weights));
    }

    [Test]
    public void ReadCard_NoCardForTheVersion_ReturnsNull()
    {
        Publish();

        Assert.That(ModelVolumeReader.ReadCard(_dir, "0123"), Is.Null);
    }

    [Test]
    public void ReadCard_PlotIsASymbolicLink_IsRefusedNotFollowed()
    {
        var info = Publish();
        var plot = Path.Combine(ModelVolume.CardPath(_dir, info.ModelVersion), "curve.png");
        File.Delete(plot);
        File.CreateSymbolicLink(plot, "/etc/passwd");

        Assert.That(() => ModelVolumeReader.ReadCard(_dir, info.ModelVersion),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("symbolic link"));
    }

    [Test]
    public void ReadCard_CardDirectoryIsASymbolicLink_IsRefused()
    {
        var info = Publish();
        var card = ModelVolume.CardPath(_dir, info.ModelVersion);
        var elsewhere = Directory.CreateTempSubdirectory("mnist-elsewhere-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(card))
            {
                File.Copy(file, Path.Combine(elsewhere, Path.GetFileName(file)));
            }

            Directory.Delete(card, recursive: true);
            Directory.CreateSymbolicLink(card, elsewhere);

            Assert.That(() => ModelVolumeReader.ReadCard(_dir, info.ModelVersion), Throws.TypeOf<InvalidDataException>());
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    private ModelInfo Publish() => ModelPublisher.Publish(_dir, s_weights, version => new ModelInfo
    {
        ModelVersion = version,
        TestAccuracy = 0.97,
        TestLoss = 0.1,
        TestImages = 10_000,
        TestClassAccuracy = [0.9, 0.95],
        ConfusionMatrix = [[5, 1], [0, 6]],
        TrainingImages = 60_000,
        Epochs = 1,
        Seed = 1,
        BatchSize = 64,
        LearningRate = 1f,
        Gamma = 0.7f,
        Threads = 2,
        TrainingSeconds = 12.5,
        TotalSeconds = 14,
        DataFiles = [new DataFileInfo("train-images-idx3-ubyte.gz", "ab")],
        TorchSharpVersion = "0.105",
        LibTorchVersion = "2.5",
        CreatedUtc = new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero),
    }, info => [
        (ModelVolume.CardFileName, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new ModelCard
        {
            ModelVersion = info.ModelVersion,
            Epochs = [new EpochMetrics(1, 0.3, 0.1, 0.97, 1.0, 12.5)],
            MostConfused = [new ConfusedSample(3, 5, 3, 0.9)],
            Plots = ["curve.png"],
        }, VolumeJsonContext.Default.ModelCard)),
        ("curve.png", new byte[] { 0x89, 0x50 }),
    ]);
}
