using System.Net;
using Grpc.Core;
using Mnist.V1;

namespace Mnist.Tests.Functional.Access;

/// <summary>RATE_LIMIT_PER_SECOND / RATE_LIMIT_BURST: a token bucket per key, or per client address with keys off.</summary>
[Category("Functional")]
public class RateLimitTests
{
    // One call a second after a burst of 3: ten calls at once exceed it whatever the machine's speed.
    private const int Calls = 10;
    private static readonly (string, string)[] Limits = [("RATE_LIMIT_PER_SECOND", "1"), ("RATE_LIMIT_BURST", "3")];
    private static readonly PredictTestSampleRequest Request = new() { Id = 1 };

    [Test]
    public async Task Predict_OverTheLimit_ResourceExhaustedWithPushbackAndAnotherKeyUnaffected()
    {
        using var keys = new ApiKeysFile(("alpha", ApiKeysFile.Alpha), ("beta", ApiKeysFile.Beta));
        await using var server = await InferenceServer.StartAsync(settings: [("API_KEYS_FILE", keys.Path), .. Limits]);
        var alpha = new Metadata { { "x-api-key", ApiKeysFile.Alpha } };

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Calls).Select(_ => CallAsync(server, alpha)));
        var refused = outcomes.Where(o => o.Error is not null).Select(o => o.Error!).ToList();
        var beta = await server.Client.PredictTestSampleAsync(Request, new Metadata { { "authorization", "Bearer " + ApiKeysFile.Beta } })
            .ResponseAsync.WaitAsync(InferenceServer.Timeout);

        Assert.That(refused, Is.Not.Empty);
        Assert.That(outcomes.Count(o => o.Error is null), Is.InRange(3, Calls - 1));
        Assert.That(refused.Select(e => e.StatusCode), Is.All.EqualTo(StatusCode.ResourceExhausted));
        Assert.That(refused.Select(e => int.Parse(e.Trailers.GetValue("grpc-retry-pushback-ms")!, System.Globalization.CultureInfo.InvariantCulture)),
            Is.All.InRange(1, 1000));
        Assert.That(beta.Id, Is.EqualTo(1), "beta has a bucket of its own");
    }

    [Test]
    public async Task Predict_OverTheLimit_TrailersOnlyResponseWithGrpcStatusNotA503()
    {
        await using var server = await InferenceServer.StartAsync(settings: Limits);
        var statuses = new List<(HttpStatusCode Http, string? Grpc, string? Pushback, long? Length)>();

        for (var i = 0; i < Calls; i++)
        {
            // An empty PredictTestSampleRequest (id 0) framed by hand: 5 zero bytes.
            using var request = server.CreateGrpcRequest("/mnist.v1.Mnist/PredictTestSample", new ByteArrayContent(new byte[5]));
            using var response = await server.Http2.SendAsync(request).WaitAsync(InferenceServer.Timeout);
            var body = await response.Content.ReadAsByteArrayAsync();
            statuses.Add((response.StatusCode, Value(response.Headers, "grpc-status"), Value(response.Headers, "grpc-retry-pushback-ms"), body.Length));
        }

        var refused = statuses.Where(s => s.Grpc == "8").ToList();
        Assert.That(refused, Is.Not.Empty, "keys off: the limit applies to the client's address");
        Assert.That(refused.Select(s => s.Http), Is.All.EqualTo(HttpStatusCode.OK), "HTTP 200, never 503");
        Assert.That(refused.Select(s => s.Length), Is.All.EqualTo(0), "trailers-only: grpc-status in the headers, no message");
        Assert.That(refused.Select(s => s.Pushback), Is.All.Not.Null);
    }

    [Test]
    public async Task Get_OverTheLimit_429WithRetryAfter()
    {
        await using var server = await InferenceServer.StartAsync(settings: Limits);

        var responses = await Task.WhenAll(Enumerable.Range(0, Calls).Select(_ => server.Http.GetAsync("/v1/test-samples/1")));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        var health = await server.Http.GetAsync("/healthz").WaitAsync(InferenceServer.Timeout);

        Assert.That(refused, Is.Not.Empty);
        Assert.That(refused.Select(r => r.Headers.RetryAfter?.Delta), Is.All.Not.Null.And.All.GreaterThanOrEqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(await refused[0].Content.ReadAsStringAsync(), Does.Contain("\"code\":8").Or.Contain("\"code\": 8"));
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK), "probes are never limited");
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    private static async Task<(TestSamplePrediction? Result, RpcException? Error)> CallAsync(InferenceServer server, Metadata headers)
    {
        try
        {
            return (await server.Client.PredictTestSampleAsync(Request, headers).ResponseAsync.WaitAsync(InferenceServer.Timeout), null);
        }
        catch (RpcException e)
        {
            return (null, e);
        }
    }

    private static string? Value(System.Net.Http.Headers.HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.Single() : null;
}
