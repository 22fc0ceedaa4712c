using Google.Protobuf;
using Mnist.Cli;
using Mnist.V1;

namespace Mnist.Tests.Processes.Cli;

/// <summary>The built tool (<c>dotnet mnist.dll</c>) in a child process: real argv, stdin, stdout, stderr and exit code.</summary>
[Category("Process")]
public class CliExecutableTests : ServerFixture
{
    private string Address => Server.GrpcAddress.ToString();

    [Test]
    public async Task Executable_PredictFileAndStdin_Exit0()
    {
        var result = await CliRunner.RunProcessAsync(["predict", CliTestImages.Sample(7), "-", "--server", Address], File.ReadAllBytes(CliTestImages.Sample(2)));

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        Assert.That(result.StdoutLines[0], Does.Contain("digit-7.png: 7 ("));
        Assert.That(result.StdoutLines[1], Does.StartWith("-: 2 ("));
        Assert.That(result.StdoutLines[2], Is.EqualTo("2 files: 2 predicted, 0 failed"));
        Assert.That(result.Stdout, Does.Not.Contain("\u001b["), "no colour when stdout is not a terminal");
    }

    [Test]
    public async Task Executable_TestIdsWithServerFromEnvironment_Exit0()
    {
        var result = await CliRunner.RunProcessAsync(["predict", "--test-ids", "0..9"], environment: new Dictionary<string, string> { ["MNIST_SERVER"] = Address });

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        Assert.That(result.StdoutLines, Has.Length.EqualTo(12));
        Assert.That(result.StdoutLines[^1], Does.StartWith("accuracy "));
    }

    [Test]
    public async Task Executable_Json_ParsesBack()
    {
        var result = await CliRunner.RunProcessAsync(["predict", "--test-id", "0", "--test-id", "1", "--json", "--server", Address]);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        var samples = result.StdoutLines.Select(JsonParser.Default.Parse<TestSamplePrediction>).ToArray();
        Assert.That(samples.Select(s => s.Id), Is.EqualTo((int[])[0, 1]));
        Assert.That(samples.Select(s => s.Prediction.Probabilities.Count), Is.All.EqualTo(10));
        Assert.That(samples[0].Prediction.ModelVersion, Is.EqualTo(TestModel.Version));
    }

    [Test]
    public async Task Executable_Health_Exit0()
    {
        var result = await CliRunner.RunProcessAsync(["health", "--server", Address]);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        Assert.That(result.Stdout, Does.Contain("SERVING, model " + TestModel.Version));
    }

    [Test]
    public async Task Executable_ServerDown_Exit3OneLineNoStackTrace()
    {
        var address = CliTestImages.ClosedAddress();

        var result = await CliRunner.RunProcessAsync(["health", "--server", address]);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.ServerUnavailable));
        Assert.That(result.Stderr, Is.EqualTo($"mnist: cannot reach the server at {address}: connection refused\n"));
    }

    [Test]
    public async Task Executable_MissingFile_Exit4()
    {
        var result = await CliRunner.RunProcessAsync(["predict", "/nonexistent/digit.png", "--server", Address]);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(result.Stderr, Is.EqualTo("mnist: /nonexistent/digit.png: no such file or directory\n"));
    }

    [Test]
    public async Task Executable_BadArguments_Exit2()
    {
        var result = await CliRunner.RunProcessAsync(["predict", "--test-ids", "9..3"]);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.UsageError));
        Assert.That(result.StderrLines[0], Does.StartWith("mnist: --test-ids: '9..3'"));
    }

    [Test]
    public async Task Executable_HelpAndVersion_Exit0()
    {
        var help = await CliRunner.RunProcessAsync(["--help"]);
        var version = await CliRunner.RunProcessAsync(["--version"]);

        Assert.That(help.ExitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(help.Stdout, Does.Contain("Exit codes:").And.Contain("mnist predict"));
        Assert.That(version.ExitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(version.Stdout, Does.StartWith(MnistCli.Version));
    }
}
