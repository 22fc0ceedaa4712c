using Google.Protobuf;
using Mnist.Cli;
using Mnist.V1;

namespace Mnist.Tests.Functional.Cli;

/// <summary><c>mnist predict --test-id/--test-ids</c> and <c>mnist health</c> against the real server.</summary>
[Category("Functional")]
public class CliTestSampleTests : ServerFixture
{
    private string Address => Server.GrpcAddress.ToString();

    [Test]
    public async Task PredictTestIds_Range_OneRowPerIdMarksWrongOnesAndReportsAccuracy()
    {
        var result = await CliRunner.RunAsync("predict", "--test-ids", "0..99", "--server", Address);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        var rows = result.StdoutLines[1..^1];
        Assert.That(rows, Has.Length.EqualTo(100));
        var wrong = 0;
        for (var id = 0; id < 100; id++)
        {
            var columns = rows[id].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(columns[0], Is.EqualTo(id.ToString()), "rows in id order");
            Assert.That(columns[2], Is.EqualTo(TestModel.TestSet.Labels[id].ToString()), "true label");
            var isWrong = columns[1] != columns[2];
            Assert.That(columns.Length == 5 && columns[4] == "wrong", Is.EqualTo(isWrong), rows[id]);
            wrong += isWrong ? 1 : 0;
        }

        Assert.That(wrong, Is.LessThan(20), "the test model is ~95% accurate");
        Assert.That(result.StdoutLines[^1], Is.EqualTo($"accuracy {100 - wrong:0.0}%: {100 - wrong} of 100 correct, {wrong} wrong"));
    }

    [Test]
    public async Task PredictTestId_RepeatedJson_ProtoJsonOfEachSampleInOrder()
    {
        var result = await CliRunner.RunAsync("predict", "--test-id", "42", "--test-id", "7", "--json", "--server", Address);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        var samples = result.StdoutLines.Select(JsonParser.Default.Parse<TestSamplePrediction>).ToArray();
        Assert.That(samples.Select(s => s.Id), Is.EqualTo((int[])[42, 7]));
        Assert.That(samples.Select(s => s.Label), Is.EqualTo(new[] { (int)TestModel.TestSet.Labels[42], TestModel.TestSet.Labels[7] }));
        Assert.That(samples.All(s => s.Prediction.ModelVersion == TestModel.Version && s.Correct == (s.Prediction.Digit == s.Label)), Is.True);
    }

    [Test]
    public async Task Health_Serving_Exit0WithStatusAndVersion()
    {
        var result = await CliRunner.RunAsync("health", "--server", Address);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        Assert.That(result.StdoutLines, Is.EqualTo(new[] { $"{Server.GrpcAddress.Host}:{Server.GrpcAddress.Port}: SERVING, model {TestModel.Version}" }));
    }

    [Test]
    public async Task Health_Json_ParsesBackToTheResponse()
    {
        var result = await CliRunner.RunAsync("health", "--json", "--server", Address);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        var health = JsonParser.Default.Parse<HealthResponse>(result.Stdout);
        Assert.That(health.Status, Is.EqualTo(HealthResponse.Types.Status.Serving));
        Assert.That(health.ModelVersion, Is.EqualTo(TestModel.Version));
    }

    [Test]
    public async Task Health_ServerDown_Exit3()
    {
        var address = CliTestImages.ClosedAddress();

        var result = await CliRunner.RunAsync("health", "--server", address);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.ServerUnavailable));
        Assert.That(result.StderrLines, Is.EqualTo(new[] { $"mnist: cannot reach the server at {address}: connection refused" }));
    }

    [Test]
    public async Task Health_ServerNeverAnswers_Exit3()
    {
        using var silent = new SilentServer();

        var result = await CliRunner.RunAsync("health", "--server", silent.Address, "--timeout", "0.3");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.ServerUnavailable), result.ToString());
        Assert.That(result.StderrLines, Is.EqualTo(new[] { $"mnist: the server at {silent.Address} did not answer within 300ms" }));
    }
}
