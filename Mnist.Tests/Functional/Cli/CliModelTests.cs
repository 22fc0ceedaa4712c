using System.Text.Json;
using Mnist.Cli;
using Mnist.Model.Weights;
using Mnist.V1;

namespace Mnist.Tests.Functional.Cli;

/// <summary><c>mnist model</c> against the real server: the card as text and as proto3 JSON, and its failures.</summary>
[Category("Functional")]
public class CliModelTests : ServerFixture
{
    private string Address => Server.GrpcAddress.ToString();
    private ModelInfo _card = null!;

    [OneTimeSetUp]
    public async Task ReadModelCard() =>
        _card = await Server.Client.GetModelAsync(new GetModelRequest()).ResponseAsync.WaitAsync(InferenceServer.Timeout);

    [Test]
    public async Task Model_LoadedModel_PrintsVersionAccuracyConfusionMatrixAndMostConfused()
    {
        var result = await CliRunner.RunAsync("model", "--server", Address);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        Assert.That(result.Stderr, Is.Empty);
        var lines = result.StdoutLines;
        Assert.That(lines[0], Is.EqualTo($"model {TestModel.Version}"));
        Assert.That(result.Stdout, Does.Contain($"test accuracy {_card.TestAccuracy * 100:0.00}% on 10000 images"));
        Assert.That(result.Stdout, Does.Contain($"training: 1 epoch(s) on {TestModel.TrainingImages} images, batch 64"));
        var header = Array.FindIndex(lines, l => l.StartsWith("confusion matrix", StringComparison.Ordinal));
        for (var label = 0; label < 10; label++)
        {
            var cells = lines[header + 2 + label].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(cells[0], Is.EqualTo(label.ToString()));
            Assert.That(cells[1..11].Select(int.Parse), Is.EqualTo(_card.ConfusionMatrix[label].Counts), $"row {label}");
        }

        var first = _card.MostConfused[0];
        Assert.That(result.Stdout, Does.Contain($"{first.Id}: {first.Label} read as {first.Predicted}"));
        Assert.That(lines[^1], Does.Contain("/v1/model/plots/training-curve.png"));
    }

    [Test]
    public async Task Model_Json_OneLineOfTheCardsProtoJson()
    {
        var result = await CliRunner.RunAsync("model", "--json", "--server", Address);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        Assert.That(result.StdoutLines, Has.Length.EqualTo(1));
        Assert.That(ModelInfo.Parser.ParseJson(result.StdoutLines[0]), Is.EqualTo(_card));
        using var json = JsonDocument.Parse(result.StdoutLines[0]);
        Assert.That(json.RootElement.GetProperty("modelVersion").GetString(), Is.EqualTo(TestModel.Version));
    }

    [Test]
    public async Task Model_NoModel_Exit3WithReason()
    {
        await using var server = await InferenceServer.StartAsync(withModel: false);

        var result = await CliRunner.RunAsync("model", "--server", server.GrpcAddress.ToString());

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.ServerUnavailable), result.ToString());
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
        Assert.That(result.StderrLines[0], Does.Contain("is not serving: no model is loaded"));
    }

    [Test]
    public async Task Model_ModelWithoutCard_Exit1NotFound()
    {
        await using var server = await InferenceServer.StartAsync(withModel: false);
        var other = TestModel.TrainOther(seed: 9);
        AtomicFile.WriteAllBytes(Path.Combine(server.ModelDir, "model.dat"), other);
        await server.WaitForModelAsync(ModelVersion.Compute(other));

        var result = await CliRunner.RunAsync("model", "--server", server.GrpcAddress.ToString());

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.CallFailed), result.ToString());
        Assert.That(result.Stdout, Is.Empty);
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
        Assert.That(result.StderrLines[0], Does.StartWith("mnist: model card: NOT_FOUND: model ").And.Contain("has no model card"));
    }

    [Test]
    public async Task Model_UnknownOption_Exit2()
    {
        var result = await CliRunner.RunAsync("model", "--bogus-flag", "--server", Address);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.UsageError), result.ToString());
        Assert.That(result.StderrLines[0], Does.Contain("--bogus-flag"));
    }
}
