using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Mnist.Model.Weights;
using Mnist.V1;

namespace Mnist.Tests.Functional.Observability;

/// <summary>GET /metrics on the metrics port (METRICS_PORT), never the public HTTP port: Prometheus text, with the server's own, ASP.NET Core's and the runtime's metrics.</summary>
[Category("Functional")]
public class MetricsEndpointTests
{
    private const string PredictRoute = "/mnist.v1.Mnist/Predict";
    private static readonly PredictRequest Request = new() { Pixels = ByteString.CopyFrom(TestModel.TestSet.Image(0)) };

    [Test]
    public async Task Metrics_AfterAPrediction_ParsesAsPrometheusTextWithEveryFamily()
    {
        await using var server = await InferenceServer.StartAsync();
        await server.Client.PredictAsync(Request).ResponseAsync.WaitAsync(InferenceServer.Timeout);

        using var response = await server.Http.GetAsync(new Uri(server.MetricsAddress, "/metrics")).WaitAsync(InferenceServer.Timeout);
        var metrics = PrometheusText.Parse(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/plain"));
        Assert.That(metrics.Types, Does.ContainKey("mnist_predictions_total").WithValue("counter")
            .And.ContainKey("mnist_prediction_confidence").WithValue("histogram")
            .And.ContainKey("mnist_batch_size").WithValue("histogram")
            .And.ContainKey("mnist_batch_queue_wait_seconds").WithValue("histogram")
            .And.ContainKey("mnist_model_loads_total").WithValue("counter")
            .And.ContainKey("mnist_model_info").WithValue("gauge")
            .And.ContainKey("http_server_request_duration_seconds").WithValue("histogram")
            .And.ContainKey("kestrel_active_connections")
            .And.ContainKey("dotnet_gc_collections_total")
            .And.ContainKey("dotnet_process_memory_working_set_bytes")
            .And.ContainKey("dotnet_process_cpu_time_seconds_total"));
        Assert.That(metrics.Sum("mnist_batch_size_count"), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task Predict_NCalls_RequestAndDigitCountersGrowByN()
    {
        const int n = 7;
        await using var server = await InferenceServer.StartAsync();
        var digit = (await server.Client.PredictAsync(Request).ResponseAsync.WaitAsync(InferenceServer.Timeout)).Digit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        (string, string)[] okCalls = [("http_route", PredictRoute), ("rpc_grpc_status_code", "0")];
        (string, string)[] badCalls = [("http_route", PredictRoute), ("rpc_grpc_status_code", "3")];
        var before = await server.ScrapeUntilAsync(m => m.Sum("http_server_request_duration_seconds_count", okCalls) >= 1);

        for (var i = 0; i < n; i++)
        {
            await server.Client.PredictAsync(Request).ResponseAsync.WaitAsync(InferenceServer.Timeout);
        }

        var error = await Inference.MnistServiceFunctionalTests.CatchAsync(() => server.Client.PredictAsync(new PredictRequest { Pixels = ByteString.CopyFrom(new byte[3]) }).ResponseAsync);
        var target = before.Sum("http_server_request_duration_seconds_count", okCalls) + n;
        var after = await server.ScrapeUntilAsync(m => m.Sum("http_server_request_duration_seconds_count", okCalls) >= target
            && m.Sum("http_server_request_duration_seconds_count", badCalls) >= 1);

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(after.Sum("http_server_request_duration_seconds_count", okCalls), Is.EqualTo(target));
        Assert.That(after.Sum("http_server_request_duration_seconds_count", badCalls), Is.EqualTo(before.Sum("http_server_request_duration_seconds_count", badCalls) + 1));
        Assert.That(after.Sum("mnist_predictions_total", ("digit", digit)), Is.EqualTo(before.Sum("mnist_predictions_total", ("digit", digit)) + n));
        Assert.That(after.Sum("mnist_predictions_total"), Is.EqualTo(before.Sum("mnist_predictions_total") + n), "the invalid call predicted nothing");
        Assert.That(after.Sum("mnist_prediction_confidence_count"), Is.EqualTo(before.Sum("mnist_prediction_confidence_count") + n));
    }

    [Test]
    public async Task ModelInfo_HotReloadThenABadFile_CarriesTheServedVersionAndCountsLoads()
    {
        await using var server = await InferenceServer.StartAsync();
        var other = TestModel.TrainOther(seed: 11);
        var otherVersion = ModelVersion.Compute(other);
        var first = await server.ScrapeUntilAsync(m => m.Find("mnist_model_info").Any());
        Assert.That(InfoVersions(first), Is.EqualTo(new[] { (TestModel.Version, 1.0) }));
        Assert.That(first.Sum("mnist_model_loads_total", ("outcome", "loaded")), Is.EqualTo(1));

        AtomicFile.WriteAllBytes(Path.Combine(server.ModelDir, "model.dat"), other);
        await server.WaitForModelAsync(otherVersion);
        var reloaded = await server.ScrapeUntilAsync(m => m.Find("mnist_model_info", ("model_version", otherVersion)).Any());

        AtomicFile.WriteAllBytes(Path.Combine(server.ModelDir, "model.dat"), new byte[] { 1, 2, 3 });
        var refused = await server.ScrapeUntilAsync(m => m.Sum("mnist_model_loads_total", ("outcome", "failed")) >= 1);

        // The old version's series is gone, not left at 1 beside the new one.
        Assert.That(InfoVersions(reloaded), Is.EqualTo(new[] { (otherVersion, 1.0) }));
        Assert.That(reloaded.Sum("mnist_model_loads_total", ("outcome", "loaded")), Is.EqualTo(2));
        Assert.That(refused.Sum("mnist_model_loads_total", ("outcome", "failed")), Is.EqualTo(1));
        Assert.That(InfoVersions(refused), Is.EqualTo(new[] { (otherVersion, 1.0) }), "a refused file leaves the served model in place");
    }

    [Test]
    public async Task Metrics_Disabled_NoListenerAndPredictionsStillServed()
    {
        await using var server = await InferenceServer.StartAsync(settings: ("METRICS_ENABLED", "false"));

        var prediction = await server.Client.PredictAsync(Request).ResponseAsync.WaitAsync(InferenceServer.Timeout);
        var scrape = server.Http.GetAsync(new Uri(server.MetricsAddress, "/metrics")).WaitAsync(InferenceServer.Timeout);

        Assert.That(prediction.ModelVersion, Is.EqualTo(TestModel.Version));
        Assert.That(async () => await scrape, Throws.InstanceOf<HttpRequestException>(), "nothing listens on METRICS_PORT");
    }

    [Test]
    public async Task Metrics_OnTheHttpPort_NotFoundAndOnTheMetricsPortOk()
    {
        await using var server = await InferenceServer.StartAsync();

        using var onHttp = await server.Http.GetAsync(new Uri("/metrics", UriKind.Relative)).WaitAsync(InferenceServer.Timeout);
        using var onMetrics = await server.Http.GetAsync(new Uri(server.MetricsAddress, "/metrics")).WaitAsync(InferenceServer.Timeout);

        Assert.That(onHttp.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(onMetrics.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Metrics_OnTheGrpcPort_NotServed()
    {
        await using var server = await InferenceServer.StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.GrpcAddress, "/metrics"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await server.Http2.SendAsync(request).WaitAsync(InferenceServer.Timeout);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    private static (string, double)[] InfoVersions(PrometheusText metrics) =>
        [.. metrics.Find("mnist_model_info").Select(s => (s.Labels["model_version"], s.Value))];
}
