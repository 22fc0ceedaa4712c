using Mnist.Cli.Parsing;

namespace Mnist.Tests.Unit.Cli;

/// <summary>The CLI's value parsers: server address, duration, test id range.</summary>
[Category("Unit")]
public class CliParsingTests
{
    [TestCase("localhost:50051", "http://localhost:50051/", "localhost:50051")]
    [TestCase("localhost", "http://localhost:50051/", "localhost:50051")]
    [TestCase("10.0.0.5:8080", "http://10.0.0.5:8080/", "10.0.0.5:8080")]
    [TestCase("[::1]:7000", "http://[::1]:7000/", "[::1]:7000")]
    [TestCase("http://mnist:80", "http://mnist/", "mnist:80")]
    [TestCase("http://mnist:50051/", "http://mnist:50051/", "mnist:50051")]
    [TestCase("https://mnist.example.com", "https://mnist.example.com/", "https://mnist.example.com")]
    public void ServerAddress_Valid_ParsesToUriAndDisplay(string text, string uri, string display)
    {
        Assert.That(ServerAddress.TryParse(text, out var address, out var error), Is.True, error);
        Assert.That(address!.Uri.ToString(), Is.EqualTo(uri));
        Assert.That(address.ToString(), Is.EqualTo(display));
    }

    [TestCase("")]
    [TestCase("http://")]
    [TestCase("grpc://host:1")]
    [TestCase("host:1/v1")]
    [TestCase("host:99999")]
    [TestCase("user@host:1")]
    public void ServerAddress_Invalid_Refused(string text)
    {
        Assert.That(ServerAddress.TryParse(text, out _, out var error), Is.False);
        Assert.That(error, Does.Contain("'" + text + "'"));
    }

    [TestCase("500ms", 500)]
    [TestCase("5s", 5000)]
    [TestCase("5", 5000)]
    [TestCase("1.5", 1500)]
    [TestCase("2m", 120_000)]
    [TestCase("1h", 3_600_000)]
    [TestCase("10MS", 10)]
    public void Duration_Valid_Parses(string text, double milliseconds)
    {
        Assert.That(Duration.TryParse(text, out var duration, out var error), Is.True, error);
        Assert.That(duration.Value.TotalMilliseconds, Is.EqualTo(milliseconds));
    }

    [TestCase("")]
    [TestCase("s")]
    [TestCase("-1s")]
    [TestCase("0")]
    [TestCase("5 days")]
    [TestCase("25h")]
    [TestCase("1e3")]
    public void Duration_Invalid_Refused(string text) =>
        Assert.That(Duration.TryParse(text, out _, out _), Is.False);

    [TestCase(300, "300ms")]
    [TestCase(5000, "5s")]
    [TestCase(1500, "1.5s")]
    [TestCase(180_000, "3m")]
    public void Duration_ToString_ReadsLikeTheInput(int milliseconds, string text) =>
        Assert.That(new Duration(TimeSpan.FromMilliseconds(milliseconds)).ToString(), Is.EqualTo(text));

    [TestCase("0..99", 0, 99)]
    [TestCase("5", 5, 5)]
    [TestCase("9999", 9999, 9999)]
    [TestCase("3..3", 3, 3)]
    [TestCase("0..9999", 0, 9999)]
    public void TestIdRange_Valid_Parses(string text, int first, int last)
    {
        Assert.That(TestIdRange.TryParse(text, out var range, out var error), Is.True, error);
        Assert.That(range, Is.EqualTo(new TestIdRange(first, last)));
        Assert.That(range.Ids.Count(), Is.EqualTo(last - first + 1));
    }

    [TestCase("9..3", "9 is greater than 3")]
    [TestCase("-1..3", "-1 is out of range")]
    [TestCase("0..10000", "10000 is out of range")]
    [TestCase("..5", "not a whole number")]
    [TestCase("1...5", "not a whole number")]
    [TestCase("0-99", "not a whole number")]
    [TestCase("x", "not a whole number")]
    public void TestIdRange_Invalid_RefusedWithReason(string text, string reason)
    {
        Assert.That(TestIdRange.TryParse(text, out _, out var error), Is.False);
        Assert.That(error, Does.Contain(reason));
    }
}
