using Mnist.Cli;

namespace Mnist.Tests.Functional.Cli;

/// <summary><c>mnist predict --batch N FILE...</c> in-process against the real server: ModelInfer calls, same output.</summary>
[Category("Functional")]
public class CliPredictBatchTests : ServerFixture
{
    private readonly CliTestImages _images = new();
    private string Address => Server.GrpcAddress.ToString();

    internal override Task<InferenceServer> StartServerAsync() => InferenceServer.StartAsync(settings: [("BATCH_MAX_SIZE", "16")]);

    [OneTimeTearDown]
    public void DeleteImages() => _images.Dispose();

    [Test]
    public async Task Predict_BatchOfFiles_SameOutputAsOneCallEach()
    {
        var files = Enumerable.Range(0, 10).Select(i => _images.Write($"test-{i}.png", MnistTestDigits.Png(i))).ToArray();

        var single = await CliRunner.RunAsync(["predict", .. files, "--server", Address]);
        var batched = await CliRunner.RunAsync(["predict", .. files, "--batch", "4", "--server", Address]);

        Assert.That(batched.ExitCode, Is.EqualTo(ExitCodes.Success), batched.ToString());
        Assert.That(batched.StdoutLines, Has.Length.EqualTo(11));
        Assert.That(batched.Stdout, Is.EqualTo(single.Stdout));
    }

    [Test]
    public async Task Predict_BatchWithABrokenFile_FailsThatFileAlone()
    {
        var good = _images.Write("good.png", MnistTestDigits.Png(0));
        var bad = _images.Write("bad.png", CliTestImages.CorruptPng);

        var result = await CliRunner.RunAsync("predict", bad, good, CliTestImages.Sample(7), "--batch", "3", "--server", Address);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.ToString());
        Assert.That(result.StdoutLines, Has.Length.EqualTo(3));
        Assert.That(result.StdoutLines[0], Does.StartWith($"{good}: "));
        Assert.That(result.StdoutLines[1], Does.Match(@"digit-7\.png: 7 \(\d{1,3}\.\d%\)$"));
        Assert.That(result.StdoutLines[2], Is.EqualTo("3 files: 2 predicted, 1 failed"));
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
        Assert.That(result.StderrLines[0], Does.StartWith($"mnist: {bad}: "));
    }

    [TestCase("0")]
    [TestCase("1025")]
    public async Task Predict_BatchOutOfRange_UsageError(string batch)
    {
        var result = await CliRunner.RunAsync("predict", CliTestImages.Sample(7), "--batch", batch, "--server", Address);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.UsageError));
        Assert.That(result.Stderr, Does.Contain("--batch must be from 1 to 1024"));
    }

    [Test]
    public async Task Predict_BatchWithTestIds_UsageError()
    {
        var result = await CliRunner.RunAsync("predict", "--test-ids", "0..9", "--batch", "4", "--server", Address);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.UsageError));
        Assert.That(result.Stderr, Does.Contain("--batch sends image files"));
    }
}
