namespace Mnist.Tests.Unit.Observability;

/// <summary>
/// The strict exposition reader the metrics tests rely on: it reads what a correct exporter writes, and refuses
/// each way an exposition can be malformed, so a metrics test cannot pass on output Prometheus would reject.
/// </summary>
[Category("Unit")]
public class PrometheusTextTests
{
    private const string Valid = """
        # HELP mnist_predictions_total Predictions answered
        # TYPE mnist_predictions_total counter
        mnist_predictions_total{digit="7",path="a\\b \"q\"\nx"} 3
        mnist_predictions_total{digit="2"} 1.5e2 1700000000000
        # TYPE latency_seconds histogram
        latency_seconds_bucket{route="/p",le="0.1"} 1
        latency_seconds_bucket{route="/p",le="1"} 4
        latency_seconds_bucket{route="/p",le="+Inf"} 5
        latency_seconds_sum{route="/p"} 2.5
        latency_seconds_count{route="/p"} 5
        up NaN

        """;

    [Test]
    public void Parse_WellFormedExposition_TypesSamplesAndUnescapedLabels()
    {
        var parsed = PrometheusText.Parse(Valid);

        Assert.That(parsed.Types, Is.EquivalentTo(new Dictionary<string, string> { ["mnist_predictions_total"] = "counter", ["latency_seconds"] = "histogram" }));
        Assert.That(parsed.Samples, Has.Count.EqualTo(8));
        Assert.That(parsed.Find("mnist_predictions_total", ("digit", "7")).Single().Labels["path"], Is.EqualTo("a\\b \"q\"\nx"));
        Assert.That(parsed.Sum("mnist_predictions_total"), Is.EqualTo(153));
        Assert.That(parsed.Sum("latency_seconds_bucket", ("le", "+Inf")), Is.EqualTo(5));
        Assert.That(parsed.Find("up").Single().Value, Is.NaN);
        Assert.That(parsed.Sum("absent_total"), Is.Zero);
    }

    [TestCase("up 1", "does not end with a line feed")]
    [TestCase("up 1\n\nother 2\n", "empty line")]
    [TestCase("9up 1\n", "is not a metric name")]
    [TestCase("up{9x=\"1\"} 1\n", "bad label name")]
    [TestCase("up{x=1} 1\n", "bad label name or no quoted value")]
    [TestCase("up{x=\"\\t\"} 1\n", "unknown escape")]
    [TestCase("up{x=\"1} 1\n", "unterminated value")]
    [TestCase("up{x=\"1\"y=\"2\"} 1\n", "expected ',' or '}'")]
    [TestCase("up{x=\"1\",x=\"2\"} 1\n", "label 'x' twice")]
    [TestCase("up{x=\"1\"}1\n", "no space before the value")]
    [TestCase("up one\n", "is not a sample value")]
    [TestCase("up 1 2 3\n", "a sample is")]
    [TestCase("up 1 1.5\n", "a sample is")]
    [TestCase("up{x=\"1\"} 1\nup{x=\"1\"} 2\n", "appears twice")]
    [TestCase("a 1\nb 1\na{x=\"1\"} 1\n", "not contiguous")]
    [TestCase("up 1\n# TYPE up gauge\n", "TYPE after the family's samples")]
    [TestCase("# TYPE up gauge\n# TYPE up gauge\nup 1\n", "TYPE after the family's samples or twice")]
    [TestCase("# TYPE up meter\nup 1\n", "a TYPE line is")]
    [TestCase("# HELP 9up text\nup 1\n", "a HELP line names a metric")]
    public void Parse_Malformed_ThrowsNamingTheProblem(string text, string problem)
    {
        Assert.That(() => PrometheusText.Parse(text), Throws.TypeOf<FormatException>().With.Message.Contains(problem));
    }

    [TestCase("h_bucket{le=\"1\"} 2\nh_bucket{le=\"0.5\"} 2\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 2\n", "not in rising order")]
    [TestCase("h_bucket{le=\"1\"} 3\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 2\n", "not cumulative")]
    [TestCase("h_bucket{le=\"1\"} 2\nh_sum 1\nh_count 2\n", "no +Inf bucket")]
    [TestCase("h_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n", "no +Inf bucket equal to _count")]
    [TestCase("h_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 2\nh_count 2\n", "or no _sum")]
    [TestCase("h_bucket 2\nh_sum 1\nh_count 2\n", "without le")]
    public void Parse_BrokenHistogram_Throws(string samples, string problem)
    {
        Assert.That(() => PrometheusText.Parse("# TYPE h histogram\n" + samples), Throws.TypeOf<FormatException>().With.Message.Contains(problem));
    }
}
