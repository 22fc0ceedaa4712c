using System.Text;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Mnist.Inference.Grpc.Observability;
using Mnist.V1;
using OpenTelemetry.Trace;

namespace Mnist.Tests.Functional.Observability;

/// <summary>Traces exported by OTLP (to a collector on 127.0.0.1) only when OTEL_EXPORTER_OTLP_ENDPOINT is set.</summary>
[Category("Functional")]
public class TracingTests
{
    [Test]
    public async Task Traces_NoOtlpEndpoint_NoTracerProvider()
    {
        await using var server = await InferenceServer.StartAsync();

        Assert.That(server.Services.GetService<TracerProvider>(), Is.Null);
    }

    [Test]
    public async Task Traces_OtlpEndpointSet_CallBatchInferenceAndDecodeSpansLinked()
    {
        using var collector = new OtlpTraceCollector();
        var server = await InferenceServer.StartAsync(settings:
        [
            ("OTEL_EXPORTER_OTLP_ENDPOINT", collector.Endpoint.ToString().TrimEnd('/')),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
        ]);
        try
        {
            var pixels = TestModel.TestSet.Image(0).ToArray();
            await server.Client.PredictAsync(new PredictRequest { Pixels = ByteString.CopyFrom(pixels) }).ResponseAsync.WaitAsync(InferenceServer.Timeout);
            var png = Convert.ToBase64String(TestPngEncoder.Encode(pixels, 28, 28));
            using var content = new StringContent($"{{\"image\": \"{png}\"}}", Encoding.UTF8, "application/json");
            using var rest = await server.Http.PostAsync(new Uri("/v1/predict", UriKind.Relative), content).WaitAsync(InferenceServer.Timeout);
            rest.EnsureSuccessStatusCode();
            (await server.Http.GetAsync(new Uri(server.MetricsAddress, "/metrics")).WaitAsync(InferenceServer.Timeout)).Dispose();
        }
        finally
        {
            await server.DisposeAsync(); // flushes the exporter
        }

        var spans = collector.Spans.ToList();
        var grpcCall = spans.Single(s => s.Attributes.GetValueOrDefault("http.route") == "/mnist.v1.Mnist/Predict");
        var restCall = spans.Single(s => s.Attributes.GetValueOrDefault("http.route") == "/v1/predict");
        var batches = spans.Where(s => s.Name == MnistTelemetry.BatchSpan).ToList();
        var grpcBatch = batches.Single(b => b.Attributes[MnistTelemetry.BatchIdTag] == grpcCall.Attributes[MnistTelemetry.BatchIdTag]);
        var inference = spans.Where(s => s.Name == MnistTelemetry.InferenceSpan).ToList();
        var decode = spans.Single(s => s.Name == MnistTelemetry.ImageDecodeSpan);

        Assert.That(collector.Paths, Has.All.EqualTo("/v1/traces"));
        Assert.That(spans.Where(s => s.Attributes.GetValueOrDefault("url.path") == "/metrics"), Is.Empty, "scrapes are not traced");
        Assert.That(grpcBatch.Links, Does.Contain((grpcCall.TraceId, grpcCall.SpanId)), "the batch links to the call it answered");
        Assert.That((grpcBatch.TraceId, grpcBatch.ParentSpanId), Is.EqualTo((grpcCall.TraceId, grpcCall.SpanId)), "a lone call's batch is its child");
        Assert.That(grpcCall.Attributes[MnistTelemetry.BatchSizeTag], Is.EqualTo("1"));
        Assert.That(inference.Select(s => s.ParentSpanId), Is.EquivalentTo(batches.Select(b => b.SpanId)), "one forward inside each batch");
        Assert.That((decode.TraceId, decode.ParentSpanId), Is.EqualTo((restCall.TraceId, restCall.SpanId)), "decoding inside the REST call");
        Assert.That(batches.Any(b => b.Links.Contains((restCall.TraceId, restCall.SpanId))), Is.True);
        Assert.That(spans.Where(s => s.Name.StartsWith("mnist.", StringComparison.Ordinal)).Select(s => s.Scope), Has.All.EqualTo(MnistTelemetry.Name));
    }
}
