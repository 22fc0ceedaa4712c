using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Extensions.DependencyInjection;
using Mnist.Inference.Grpc.Admission;
using Mnist.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Mnist.Tests.Functional.Admission;

/// <summary>
/// MAX_CONCURRENT_CALLS and MAX_ADMITTED_REQUEST_BYTES: beyond them a call is refused at once, RESOURCE_EXHAUSTED
/// with gRPC's pushback or 429 with Retry-After, while health and probes keep answering.
/// </summary>
[Category("Functional")]
public class AdmissionTests
{
    private static readonly int[] OneImage = [1];
    private static readonly PredictRequest Pixels = new() { Pixels = ByteString.CopyFrom(TestModel.TestSet.Image(0)) };

    [Test]
    public async Task Predict_AtMaxConcurrentCalls_ResourceExhaustedTrailersOnlyWithPushback()
    {
        await using var server = await InferenceServer.StartAsync(settings: ("MAX_CONCURRENT_CALLS", "1"));
        await using var held = await HeldCall.StartAsync(server, Pixels.ToByteArray());

        var refused = await SendAsync(server, Pixels.ToByteArray());
        var e = Assert.ThrowsAsync<RpcException>(() => server.Client.PredictAsync(Pixels).ResponseAsync.WaitAsync(InferenceServer.Timeout));

        Assert.That(refused.HttpStatus, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(refused.Status, Is.EqualTo("8"));
        Assert.That(refused.TrailersOnly, Is.True, "refused before the body is read: no message, status in the headers");
        Assert.That(refused.Pushback, Is.EqualTo("1000"));
        Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
        Assert.That(e.Status.Detail, Does.Contain("limit of 1 calls at once (MAX_CONCURRENT_CALLS)"));
        Assert.That(e.Trailers.GetValue("grpc-retry-pushback-ms"), Is.EqualTo("1000"));
        Assert.That((await held.FinishAsync()).Status, Is.EqualTo("0"), "the admitted call still completes");
        Assert.That((await server.Client.PredictAsync(Pixels).ResponseAsync.WaitAsync(InferenceServer.Timeout)).ModelVersion,
            Is.EqualTo(TestModel.Version), "its place is free again");
    }

    [Test]
    public async Task RestPredict_AtMaxConcurrentCalls_429WithRetryAfterAndJsonBody()
    {
        await using var server = await InferenceServer.StartAsync(settings: ("MAX_CONCURRENT_CALLS", "1"));
        await using var held = await HeldCall.StartAsync(server, Pixels.ToByteArray());

        using var response = await server.Http.PostAsJsonAsync("/v1/predict", new { pixels = Convert.ToBase64String(TestModel.TestSet.Image(0)) });
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        Assert.That(body.RootElement.GetProperty("code").GetInt32(), Is.EqualTo((int)StatusCode.ResourceExhausted));
        Assert.That(body.RootElement.GetProperty("message").GetString(), Does.Contain("MAX_CONCURRENT_CALLS"));
    }

    [Test]
    public async Task HealthAndProbes_AtMaxConcurrentCalls_StillAnswer()
    {
        await using var server = await InferenceServer.StartAsync(settings: ("MAX_CONCURRENT_CALLS", "1"));
        await using var held = await HeldCall.StartAsync(server, Pixels.ToByteArray());

        var grpcHealth = await server.Health.CheckAsync(new HealthCheckRequest()).ResponseAsync.WaitAsync(InferenceServer.Timeout);
        var mnistHealth = await server.Client.HealthAsync(new HealthRequest()).ResponseAsync.WaitAsync(InferenceServer.Timeout);
        var statuses = new Dictionary<string, HttpStatusCode>();
        foreach (var path in new[] { "/healthz", "/health", "/v1/health", "/v2/health/live", "/v2/health/ready" })
        {
            using var response = await server.Http.GetAsync(path).WaitAsync(InferenceServer.Timeout);
            statuses[path] = response.StatusCode;
        }

        using var metrics = new HttpClient { BaseAddress = server.MetricsAddress, Timeout = InferenceServer.Timeout };
        using var scrape = await metrics.GetAsync("/metrics");

        Assert.That(grpcHealth.Status, Is.EqualTo(ServingStatus.Serving));
        Assert.That(mnistHealth.Status, Is.EqualTo(HealthResponse.Types.Status.Serving));
        Assert.That(statuses.Values, Is.All.EqualTo(HttpStatusCode.OK), string.Join(", ", statuses));
        Assert.That(scrape.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Predict_DeclaredBytesOverMaxAdmittedRequestBytes_ResourceExhaustedNamingTheLimit()
    {
        const int limit = 64 * 1024;
        await using var server = await InferenceServer.StartAsync(settings: ("MAX_ADMITTED_REQUEST_BYTES", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        // Held, it has been charged what it sent: 40 KB of its 80 KB.
        await using var held = await HeldCall.StartAsync(server, ImageRequest(80 * 1024));

        var refused = await SendAsync(server, ImageRequest(30 * 1024));

        Assert.That(refused.Status, Is.EqualTo("8"));
        Assert.That(refused.Message, Does.Contain($"limit of {limit} request bytes held at once (MAX_ADMITTED_REQUEST_BYTES)"));
        Assert.That(refused.Pushback, Is.EqualTo("1000"));
    }

    [Test]
    public async Task Predict_UnknownLengthBodyPastMaxAdmittedRequestBytes_ResourceExhaustedWhileReading()
    {
        const int limit = 64 * 1024;
        await using var server = await InferenceServer.StartAsync(settings: ("MAX_ADMITTED_REQUEST_BYTES", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await using var held = await HeldCall.StartAsync(server, ImageRequest(80 * 1024));

        // No content-length, as grpcio sends: admitted, then charged as it arrives.
        using var request = server.CreateGrpcRequest("/mnist.v1.Mnist/Predict", new StreamContent(new UnknownLengthBody(RawGrpc.Frame(ImageRequest(60 * 1024)))));
        var refused = await RawGrpc.SendAsync(server.Http2, request);

        Assert.That(refused.GrpcStatus, Is.EqualTo("8"), refused.GrpcMessage);
        Assert.That(refused.GrpcMessage, Does.Contain("MAX_ADMITTED_REQUEST_BYTES"));
        Assert.That((await held.FinishAsync()).Status, Is.Not.EqualTo("8"), "the call admitted first is not the one refused");
    }

    // Refusals raised past the admission gate (here: no decode slot) reach every REST route as 429 with Retry-After:
    // through JSON transcoding, the Open Inference Protocol's handler and the original routes' error boundary.
    [TestCase("/v1/predict")]
    [TestCase("/v2/models/mnist/infer")]
    [TestCase("/predict")]
    public async Task RestImagePredict_NoDecodeSlotFree_429WithRetryAfterNamingDecodeSlots(string route)
    {
        await using var server = await InferenceServer.StartAsync(settings: [("DECODE_SLOTS", "1"), ("DECODE_SLOT_WAIT_MILLISECONDS", "10")]);
        using var slot = await server.Services.GetRequiredService<DecodeSlots>().EnterAsync(CancellationToken.None);
        var png = MnistTestDigits.Png(0);

        using var response = await server.Http.PostAsync(route, route switch
        {
            "/v1/predict" => JsonContent.Create(new { image = Convert.ToBase64String(png) }),
            "/predict" => new MultipartFormDataContent { { new ByteArrayContent(png), "file", "digit.png" } },
            _ => JsonContent.Create(new { inputs = new[] { new { name = "image", shape = OneImage, datatype = "BYTES", data = new[] { Convert.ToBase64String(png) } } } }),
        }).WaitAsync(InferenceServer.Timeout);
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests), body);
        Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(body, Does.Contain("DECODE_SLOTS"));
    }

    [Test]
    public async Task Predict_NoDecodeSlotFree_ResourceExhaustedWithPushback()
    {
        await using var server = await InferenceServer.StartAsync(settings: [("DECODE_SLOTS", "1"), ("DECODE_SLOT_WAIT_MILLISECONDS", "10")]);
        using var slot = await server.Services.GetRequiredService<DecodeSlots>().EnterAsync(CancellationToken.None);

        var e = Assert.ThrowsAsync<RpcException>(() => server.Client.PredictAsync(new PredictRequest { Image = ByteString.CopyFrom(MnistTestDigits.Png(0)) })
            .ResponseAsync.WaitAsync(InferenceServer.Timeout));

        Assert.That(e!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
        Assert.That(e.Status.Detail, Does.Contain("decoding 1 images at once (DECODE_SLOTS)"));
        Assert.That(e.Trailers.GetValue("grpc-retry-pushback-ms"), Is.EqualTo("1000"));
    }

    [Test]
    public void Start_MaxConcurrentCallsZero_FailsValidation()
    {
        Assert.That(async () => await InferenceServer.StartAsync(settings: ("MAX_CONCURRENT_CALLS", "0")),
            Throws.InstanceOf<Microsoft.Extensions.Options.OptionsValidationException>().With.Message.Contains(nameof(AdmissionOptions.MaxConcurrentCalls)));
    }

    // An image field of junk: the call's outcome does not matter, only the bytes it holds.
    private static byte[] ImageRequest(int bytes) => new PredictRequest { Image = ByteString.CopyFrom(new byte[bytes]) }.ToByteArray();

    private static async Task<(HttpStatusCode HttpStatus, string? Status, string? Message, string? Pushback, bool TrailersOnly)> SendAsync(InferenceServer server, byte[] message)
    {
        using var request = server.CreateGrpcRequest("/mnist.v1.Mnist/Predict", new ByteArrayContent(RawGrpc.Frame(message)));
        using var response = await server.Http2.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(InferenceServer.Timeout);
        await response.Content.ReadAsByteArrayAsync().WaitAsync(InferenceServer.Timeout);
        var trailersOnly = response.Headers.Contains("grpc-status");
        System.Net.Http.Headers.HttpHeaders source = trailersOnly ? response.Headers : response.TrailingHeaders;
        return (response.StatusCode, Value(source, "grpc-status"), Value(source, "grpc-message"), Value(source, "grpc-retry-pushback-ms"), trailersOnly);
    }

    private static string? Value(System.Net.Http.Headers.HttpHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : null;

    /// <summary>A readable stream that does not tell its length, so HttpClient sends it without content-length.</summary>
    private sealed class UnknownLengthBody(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }

    /// <summary>A Predict call admitted and held at the server: half its body sent, the rest on <see cref="FinishAsync"/>.</summary>
    private sealed class HeldCall : IAsyncDisposable
    {
        private readonly TaskCompletionSource _release = new();
        private readonly HttpClient _http = new(new SocketsHttpHandler()) { Timeout = InferenceServer.Timeout };
        private Task<RawResponse>? _call;

        public static async Task<HeldCall> StartAsync(InferenceServer server, byte[] message)
        {
            var held = new HeldCall();
            var frame = RawGrpc.Frame(message);
            var content = new SplitContent(frame, frame.Length / 2, held._release.Task);
            held._call = RawGrpc.SendAsync(held._http, server.CreateGrpcRequest("/mnist.v1.Mnist/Predict", content));
            await content.FirstPartSent.WaitAsync(InferenceServer.Timeout);
            // Sent is not yet admitted: wait until the server holds it.
            var gate = server.Services.GetRequiredService<AdmissionGate>();
            using var wait = new CancellationTokenSource(InferenceServer.Timeout);
            while (gate.Calls == 0 || gate.Bytes < frame.Length / 2)
            {
                await Task.Delay(10, wait.Token);
            }

            return held;
        }

        public async Task<(string? Status, string? Message)> FinishAsync()
        {
            _release.TrySetResult();
            var response = await _call!.WaitAsync(InferenceServer.Timeout);
            return (response.GrpcStatus, response.GrpcMessage);
        }

        public async ValueTask DisposeAsync()
        {
            _release.TrySetResult();
            try
            {
                await _call!.WaitAsync(InferenceServer.Timeout);
            }
            catch (HttpRequestException)
            {
                // The server may be gone first.
            }

            _http.Dispose();
        }
    }
}
