using Mnist.Training.Progress;

namespace Mnist.Tests.Unit.Training;

[Category("Unit")]
public class LogProgressReporterTests
{
    [Test]
    public void BatchCompleted_BeforeTheInterval_WritesNothing()
    {
        var (reporter, output, time) = Create();
        reporter.EpochStarted(1, 2, 1000, 1f);

        time.Advance(TimeSpan.FromSeconds(9));
        reporter.BatchCompleted(100, 2.5f);

        Assert.That(Lines(output), Has.Length.EqualTo(1));
        Assert.That(Lines(output)[0], Is.EqualTo("epoch 1/2: 1000 images, learning rate 1"));
    }

    [Test]
    public void BatchCompleted_AfterTheInterval_WritesProgressLossRateAndEta()
    {
        var (reporter, output, time) = Create();
        reporter.EpochStarted(1, 2, 1000, 1f);

        time.Advance(TimeSpan.FromSeconds(5));
        reporter.BatchCompleted(100, 2f);
        time.Advance(TimeSpan.FromSeconds(5));
        reporter.BatchCompleted(200, 1f);

        Assert.That(Lines(output)[^1], Is.EqualTo("epoch 1/2: 200/1000 images (20%), loss 1.5000, 20 images/s, ETA 00:00:40"));
    }

    [Test]
    public void EpochCompleted_Always_WritesMeanLossAndRate()
    {
        var (reporter, output, _) = Create();
        reporter.EpochStarted(2, 2, 1000, 0.7f);

        reporter.EpochCompleted(2, 0.25f, TimeSpan.FromSeconds(4));

        Assert.That(Lines(output)[^1], Is.EqualTo("epoch 2/2 done: mean loss 0.2500, 4.0 s, 250 images/s"));
    }

    private static (LogProgressReporter, StringWriter, ManualTimeProvider) Create()
    {
        var output = new StringWriter();
        var time = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        return (new LogProgressReporter(output, time), output, time);
    }

    private static string[] Lines(StringWriter output) => output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
}
