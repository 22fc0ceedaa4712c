using System.Text.Json;
using Mnist.Model.Weights;
using Mnist.Training;

namespace Mnist.Tests.Functional.Training;

/// <summary>Runs the real trainer in-process: one small training run shared by the fixture, plus the failure paths.</summary>
[NonParallelizable]
[Category("Functional")]
public class TrainerCommandTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private static readonly string[] ModelFiles = ["model.dat", "model.json"];
    private static readonly string[] CardFiles = ["model.json", "card.json", "training-curve.png", "confusion-matrix.png"];
    private static readonly string[] Seeds = ["1", "2", "3"];

    private string _root = "";
    private string _modelDir = "";
    private (int ExitCode, string Output, string Error) _run;

    [OneTimeSetUp]
    public async Task TrainOnASmallSubset()
    {
        _root = Directory.CreateTempSubdirectory("mnist-trainer-").FullName;
        _modelDir = Path.Combine(_root, "models", "nested");
        _run = await Run("--data-dir", RepoPaths.MnistData, "--model-dir", _modelDir, "--limit", "2000", "--epochs", "1");
    }

    [OneTimeTearDown]
    public void DeleteDirectory() => Directory.Delete(_root, recursive: true);

    [Test]
    public void Run_SmallSubset_ExitsZeroAndReportsAccuracy()
    {
        Assert.That(_run.ExitCode, Is.EqualTo(0), _run.Error);
        Assert.That(_run.Error, Is.Empty);
        Assert.That(_run.Output, Does.Contain("Training on 2000 images").And.Contain("epoch 1/1 done").And.Contain("Test accuracy"));
    }

    [Test]
    public void Run_SmallSubset_WritesLoadableWeightsAndNoTempFiles()
    {
        using var net = MnistWeights.Load(Path.Combine(_modelDir, "model.dat"));

        Assert.That(NetWeights.Of(net)["fc2.bias"].Any(v => v != 0), Is.True);
        Assert.That(Directory.GetFiles(_modelDir).Select(Path.GetFileName), Is.EquivalentTo(ModelFiles));
    }

    [Test]
    public void Run_SmallSubset_ModelJsonDescribesTheWeights()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_modelDir, "model.json")));
        var root = json.RootElement;

        Assert.That(root.GetProperty("model_version").GetString(), Is.EqualTo(ModelVersion.ComputeFile(Path.Combine(_modelDir, "model.dat"))));
        // 2000 images, one epoch: well above chance (10%), well below a full run.
        Assert.That(root.GetProperty("test_accuracy").GetDouble(), Is.InRange(0.5, 0.99));
        Assert.That(root.GetProperty("test_images").GetInt32(), Is.EqualTo(10_000));
        Assert.That(root.GetProperty("training_images").GetInt32(), Is.EqualTo(2000));
        Assert.That(root.GetProperty("batch_size").GetInt32(), Is.EqualTo(64));
        Assert.That(root.GetProperty("data_files").GetArrayLength(), Is.EqualTo(4));
        Assert.That(root.GetProperty("data_files")[0].GetProperty("sha256").GetString(),
            Is.EqualTo("8e59d4e6322d5e291f26338633ee8015e1369ee4616a784cd934bc27c2948978"));
    }

    [Test]
    public void Run_SmallSubset_ModelJsonHasPerClassAccuracyConfusionMatrixAndVersions()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_modelDir, "model.json")));
        var root = json.RootElement;

        var confusion = root.GetProperty("confusion_matrix").EnumerateArray().Select(row => row.EnumerateArray().Select(c => c.GetInt32()).ToArray()).ToArray();
        var classAccuracy = root.GetProperty("test_class_accuracy").EnumerateArray().Select(a => a.GetDouble()).ToArray();
        Assert.That(confusion, Has.Length.EqualTo(10).And.All.Length.EqualTo(10));
        Assert.That(confusion.Sum(row => row.Sum()), Is.EqualTo(10_000));
        Assert.That(Enumerable.Range(0, 10).Sum(d => confusion[d][d]) / 10_000.0, Is.EqualTo(root.GetProperty("test_accuracy").GetDouble()).Within(1e-9));
        Assert.That(classAccuracy, Has.Length.EqualTo(10));
        Assert.That(classAccuracy[3], Is.EqualTo((double)confusion[3][3] / confusion[3].Sum()).Within(1e-6));
        Assert.That(root.GetProperty("torch_sharp_version").GetString(), Is.EqualTo("0.107.0"));
        Assert.That(root.GetProperty("lib_torch_version").GetString(), Does.Match(@"^\d+\.\d+\.\d+"));
    }

    [Test]
    public void Run_SmallSubset_WritesTheCardOfThoseWeightsInItsVersionDirectory()
    {
        var version = ModelVersion.ComputeFile(Path.Combine(_modelDir, "model.dat"));
        var card = Path.Combine(_modelDir, "cards", version);
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(card, "card.json")));
        var root = json.RootElement;

        Assert.That(Directory.GetDirectories(Path.Combine(_modelDir, "cards")).Select(Path.GetFileName), Is.EqualTo([version]), "no leftovers");
        Assert.That(Directory.GetFiles(card).Select(Path.GetFileName),
            Is.EquivalentTo(CardFiles));
        Assert.That(File.ReadAllBytes(Path.Combine(card, "model.json")), Is.EqualTo(File.ReadAllBytes(Path.Combine(_modelDir, "model.json"))));
        Assert.That(root.GetProperty("model_version").GetString(), Is.EqualTo(version));
        var epoch = root.GetProperty("epochs").EnumerateArray().Single();
        Assert.That(epoch.GetProperty("epoch").GetInt32(), Is.EqualTo(1));
        Assert.That(epoch.GetProperty("train_loss").GetDouble(), Is.GreaterThan(0));
        Assert.That(epoch.GetProperty("test_accuracy").GetDouble(), Is.EqualTo(ModelJson().GetProperty("test_accuracy").GetDouble()));
        var confused = root.GetProperty("most_confused").EnumerateArray().ToArray();
        Assert.That(confused, Has.Length.EqualTo(16));
        Assert.That(confused.Select(c => c.GetProperty("confidence").GetDouble()), Is.Ordered.Descending);
        Assert.That(confused.All(c => c.GetProperty("label").GetInt32() != c.GetProperty("predicted").GetInt32()
            && MnistTestData.Test.Labels[c.GetProperty("id").GetInt32()] == c.GetProperty("label").GetInt32()), Is.True);
        foreach (var plot in root.GetProperty("plots").EnumerateArray().Select(p => p.GetString()!))
        {
            var png = File.ReadAllBytes(Path.Combine(card, plot));
            Assert.That(png[1..4], Is.EqualTo("PNG"u8.ToArray()), plot);
            // With text (the embedded font) a plot is tens of kilobytes; without, axes alone are a few.
            Assert.That(png, Has.Length.GreaterThan(20_000), plot);
        }
    }

    [Test]
    public async Task Run_Twice_PublishesTheNewCardAndKeepsOnlyItAndTheReplacedOne()
    {
        var modelDir = Path.Combine(_root, "twice");
        string[] small = ["--data-dir", RepoPaths.MnistData, "--model-dir", modelDir, "--limit", "256"];
        var versions = new List<string>();
        foreach (var seed in Seeds)
        {
            var (exitCode, _, error) = await Run([.. small, "--seed", seed]);
            Assert.That(exitCode, Is.EqualTo(0), error);
            versions.Add(ModelVersion.ComputeFile(Path.Combine(modelDir, "model.dat")));
        }

        Assert.That(Directory.GetDirectories(Path.Combine(modelDir, "cards")).Select(Path.GetFileName), Is.EquivalentTo(versions[1..]));
        using var card = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(modelDir, "cards", versions[2], "card.json")));
        Assert.That(card.RootElement.GetProperty("model_version").GetString(), Is.EqualTo(versions[2]));
    }

    private JsonElement ModelJson() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_modelDir, "model.json"))).RootElement.Clone();

    [TestCase("--epochs", "0")]
    [TestCase("--batch-size", "-1")]
    [TestCase("--lr", "NaN")]
    [TestCase("--lr", "abc")]
    [TestCase("--no-such-option", "1")]
    public async Task Run_BadArgument_ExitsTwoWithAOneLineReason(string option, string value)
    {
        var (exitCode, _, error) = await Run(option, value, "--model-dir", Path.Combine(_root, "unused"));

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain(option.TrimStart('-').Split('-')[0]).IgnoreCase.Or.Contain(value));
        Assert.That(error, Does.Not.Contain("   at "));
        Assert.That(Directory.Exists(Path.Combine(_root, "unused")), Is.False);
    }

    [Test]
    public async Task Run_MissingDataDirectory_ExitsThreeAndKeepsThePreviousModel()
    {
        var modelDir = PreviousModel("bad-data");

        var (exitCode, _, error) = await Run("--data-dir", Path.Combine(_root, "absent"), "--model-dir", modelDir);

        Assert.That(exitCode, Is.EqualTo(3));
        Assert.That(error.Trim(), Does.Contain("train-images-idx3-ubyte.gz").And.Not.Contain("\n"));
        Assert.That(File.ReadAllText(Path.Combine(modelDir, "model.dat")), Is.EqualTo("previous"));
    }

    [Test]
    public async Task Run_UnwritableModelDirectory_ExitsFourBeforeTraining()
    {
        var file = Path.Combine(_root, "a-file");
        File.WriteAllText(file, "x");

        var (exitCode, output, error) = await Run("--data-dir", RepoPaths.MnistData, "--model-dir", Path.Combine(file, "models"));

        Assert.That(exitCode, Is.EqualTo(4));
        Assert.That(error.Trim(), Does.StartWith("Cannot write the model directory").And.Not.Contain("\n"));
        Assert.That(output, Does.Not.Contain("Training on"));
    }

    [Test]
    public async Task Run_CancelledMidTraining_ExitsWithoutTouchingThePreviousModel()
    {
        var modelDir = PreviousModel("cancelled");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        var (exitCode, _, error) = await Run(cancel.Token, "--data-dir", RepoPaths.MnistData, "--model-dir", modelDir, "--limit", "20000");

        Assert.That(exitCode, Is.EqualTo(130));
        Assert.That(error, Does.Contain("cancelled"));
        Assert.That(Directory.GetFiles(modelDir).Select(Path.GetFileName), Is.EquivalentTo(ModelFiles));
        Assert.That(File.ReadAllText(Path.Combine(modelDir, "model.dat")), Is.EqualTo("previous"));
    }

    private string PreviousModel(string name)
    {
        var dir = Path.Combine(_root, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "model.dat"), "previous");
        File.WriteAllText(Path.Combine(dir, "model.json"), "{}");
        return dir;
    }

    private static Task<(int, string, string)> Run(params string[] args) => Run(CancellationToken.None, args);

    private static async Task<(int, string, string)> Run(CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await TrainerCommand.RunAsync(args, output, error, handleSignals: false, cancellationToken).WaitAsync(RunTimeout);
        return (exitCode, output.ToString(), error.ToString());
    }
}
