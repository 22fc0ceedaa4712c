using Mnist.Cli;

namespace Mnist.Tests.Functional.Cli;

/// <summary>A server that is up but has no model: health and predictions exit 3.</summary>
[Category("Functional")]
public class CliNoModelTests : ServerFixture
{
    private string Address => Server.GrpcAddress.ToString();

    internal override Task<InferenceServer> StartServerAsync() => InferenceServer.StartAsync(withModel: false);

    [Test]
    public async Task Health_NoModel_Exit3NotServingWithReason()
    {
        var result = await CliRunner.RunAsync("health", "--server", Address);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.ServerUnavailable), result.ToString());
        Assert.That(result.StdoutLines, Has.Length.EqualTo(1));
        Assert.That(result.StdoutLines[0], Does.Match(@": NOT_SERVING, no model \(.+\)$"));
    }

    [Test]
    public async Task Predict_NoModel_Exit3OnceForAllInputs()
    {
        var result = await CliRunner.RunAsync("predict", CliTestImages.Sample(7), CliTestImages.Sample(2), "--server", Address);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.ServerUnavailable), result.ToString());
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
        Assert.That(result.StderrLines[0], Does.StartWith($"mnist: the server at {Server.GrpcAddress.Host}:{Server.GrpcAddress.Port} is not serving: no model is loaded"));
    }

    [Test]
    public async Task PredictTestIds_NoModel_Exit3()
    {
        var result = await CliRunner.RunAsync("predict", "--test-ids", "0..20", "--server", Address);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.ServerUnavailable), result.ToString());
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
    }
}
