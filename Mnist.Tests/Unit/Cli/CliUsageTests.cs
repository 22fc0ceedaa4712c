using Mnist.Cli;

namespace Mnist.Tests.Unit.Cli;

/// <summary>Bad command lines exit 2 with one line per error before any call; help and version.</summary>
[Category("Unit")]
public class CliUsageTests
{
    [TestCase(new string[0], "a command is required")]
    [TestCase(new[] { "bogus" }, "'bogus'")]
    [TestCase(new[] { "predict" }, "nothing to predict")]
    [TestCase(new[] { "predict", "--test-ids", "9..3" }, "9 is greater than 3")]
    [TestCase(new[] { "predict", "--test-ids", "0..10000" }, "test ids are 0..9999")]
    [TestCase(new[] { "predict", "--test-ids", "a..b" }, "not a whole number")]
    [TestCase(new[] { "predict", "--test-id", "10000" }, "10000 is out of range; test ids are 0..9999")]
    [TestCase(new[] { "predict", "--test-id=-1" }, "-1 is out of range")]
    [TestCase(new[] { "predict", "a.png", "--test-id", "1" }, "either image files or test ids")]
    [TestCase(new[] { "predict", "-", "-" }, "only once")]
    [TestCase(new[] { "predict", "a.png", "--jobs", "0" }, "--jobs must be from 1 to 64")]
    [TestCase(new[] { "health", "--timeout", "soon" }, "'soon' is not a duration")]
    [TestCase(new[] { "health", "--timeout", "0s" }, "from 1ms to 24h")]
    [TestCase(new[] { "health", "--server", "ftp://host:1" }, "only http:// (h2c) and https://")]
    [TestCase(new[] { "health", "--server", "host:1/path" }, "has a path")]
    [TestCase(new[] { "health", "--unknown" }, "'--unknown'")]
    [TestCase(new[] { "predict", "--bogus-flag" }, "unknown option '--bogus-flag'")]
    [TestCase(new[] { "predict", "a.png", "-x" }, "unknown option '-x'")]
    public async Task Run_BadArguments_Exit2WithReasonAndNoOutput(string[] args, string reason)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.UsageError), result.ToString());
        Assert.That(result.StderrLines[0], Does.StartWith("mnist: ").And.Contain(reason));
        Assert.That(result.StderrLines[^1], Does.StartWith("Try 'mnist").And.EndWith("--help' for more information."));
        Assert.That(result.Stdout, Is.Empty);
    }

    [Test]
    public async Task Run_BadServerInEnvironment_Exit2NamingTheVariable()
    {
        var result = await CliRunner.RunWithEnvironmentAsync(["health"], new Dictionary<string, string> { ["MNIST_SERVER"] = "http://" });

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.UsageError));
        Assert.That(result.StderrLines[0], Does.StartWith("mnist: MNIST_SERVER: "));
    }

    [TestCase("--help")]
    [TestCase("predict --help")]
    [TestCase("health -h")]
    public async Task Help_AnyCommand_ListsExitCodesAndExamples(string commandLine)
    {
        var result = await CliRunner.RunAsync(commandLine.Split(' '));

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(result.Stdout, Does.Contain("Usage:").And.Contain("Examples:").And.Contain("Exit codes:"));
        foreach (var line in new[] { "0    success", "1    a prediction call failed", "2    usage error", "3    server unreachable", "4    a file could not be read" })
        {
            Assert.That(result.Stdout, Does.Contain(line));
        }
    }

    [Test]
    public async Task Help_Root_DocumentsEnvironmentAndCompletion()
    {
        var result = await CliRunner.RunAsync("--help");

        Assert.That(result.Stdout, Does.Contain("MNIST_SERVER").And.Contain("NO_COLOR").And.Contain("[suggest:$COMP_POINT]"));
    }

    [Test]
    public async Task Version_PrintsTheToolVersion()
    {
        var result = await CliRunner.RunAsync("--version");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success));
        Assert.That(result.Stdout.Trim(), Does.StartWith(MnistCli.Version));
        Assert.That(MnistCli.Version, Does.Match(@"^\d+\.\d+\.\d+"));
    }

    [Test]
    public async Task Suggest_PartialOption_CompletesWithoutDotnetSuggest()
    {
        var result = await CliRunner.RunAsync("[suggest:18]", "mnist predict --te");

        Assert.That(result.StdoutLines, Is.EqualTo((string[])["--test-id", "--test-ids"]));
    }
}
