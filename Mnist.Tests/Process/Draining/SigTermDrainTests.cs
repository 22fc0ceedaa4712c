using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Mnist.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Mnist.Tests.Processes.Draining;

/// <summary>
/// SIGTERM to the real server process while it is under load: health turns NOT_SERVING, a call in flight
/// completes, every other call ends OK or UNAVAILABLE (no INTERNAL, no reset, no hang), and the process exits 0
/// within DRAIN_SECONDS.
/// </summary>
[NonParallelizable]
[Category("Process")]
public class SigTermDrainTests
{
    private const int DrainSeconds = 10;
    private const int Workers = 16;
    private static readonly string[] AllowedOutcomes = ["OK", "Unavailable"];

    [Test, CancelAfter(60_000)]
    public async Task SigTerm_UnderLoad_EveryCallOkOrUnavailableAndExitZero(CancellationToken token)
    {
        await using var server = ServerProcess.Start(("DRAIN_SECONDS", DrainSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var channel = GrpcChannel.ForAddress(server.GrpcAddress);
        await server.WaitForServingAsync(token);
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(token);
        stopWatching.CancelAfter(TimeSpan.FromSeconds(40));
        using var watch = new Health.HealthClient(channel).Watch(new HealthCheckRequest(), cancellationToken: stopWatching.Token);
        Assert.That(await watch.ResponseStream.MoveNext(stopWatching.Token), Is.True);
        Assert.That(watch.ResponseStream.Current.Status, Is.EqualTo(ServingStatus.Serving));

        // A call whose request is only half sent: in flight at the server until released.
        using var raw = new HttpClient(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(40) };
        var release = new TaskCompletionSource();
        var frame = RawGrpc.Frame(new PredictRequest { Pixels = ByteString.CopyFrom(TestModel.TestSet.Image(0)) }.ToByteArray());
        var held = new SplitContent(frame, frame.Length / 2, release.Task);
        var heldCall = RawGrpc.SendAsync(raw, HeldRequest(server.GrpcAddress, held));
        await held.FirstPartSent.WaitAsync(TimeSpan.FromSeconds(10), token);

        var outcomes = new ConcurrentQueue<string>();
        using var stopLoad = new CancellationTokenSource();
        var load = PredictLoad.Start(channel, Workers, outcomes, stopLoad.Token);
        // Under load first: some calls answered, and more in flight.
        var loaded = Stopwatch.StartNew();
        while (outcomes.Count(o => o == "OK") < 100 && loaded.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(20, token);
        }

        var beforeSigterm = outcomes.Count;

        var clock = Stopwatch.StartNew();
        server.Terminate();
        Assert.That(await watch.ResponseStream.MoveNext(stopWatching.Token), Is.True, server.ToString());
        Assert.That(watch.ResponseStream.Current.Status, Is.EqualTo(ServingStatus.NotServing), server.ToString());
        // Calls keep arriving while the drain waits for the held one.
        await Task.Delay(300, token);
        release.SetResult();
        var heldResponse = await heldCall.WaitAsync(TimeSpan.FromSeconds(30), token);
        var exited = await server.WaitForExitAsync(TimeSpan.FromSeconds(DrainSeconds + 2));
        var drained = clock.Elapsed;
        await Task.Delay(200, token);
        await stopLoad.CancelAsync();
        await Task.WhenAll(load).WaitAsync(TimeSpan.FromSeconds(30), token);

        var byStatus = outcomes.GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
        var summary = $"SIGTERM drain: exit after {drained.TotalMilliseconds:F0} ms; held call {heldResponse.GrpcStatus}; {outcomes.Count} load calls "
            + $"({beforeSigterm} before SIGTERM): {string.Join(", ", byStatus.Select(kv => $"{kv.Key} {kv.Value}"))}";
        TestContext.Progress.WriteLine(summary);
        Assert.That(exited, Is.True, $"still running {DrainSeconds + 2} s after SIGTERM\n{server}");
        Assert.That(server.ExitCode, Is.Zero, server.ToString());
        Assert.That(heldResponse.GrpcStatus, Is.EqualTo("0"), $"the call in flight at SIGTERM must complete: {heldResponse.GrpcMessage}");
        Assert.That(beforeSigterm, Is.GreaterThan(0), summary);
        Assert.That(byStatus.Keys, Is.SubsetOf(AllowedOutcomes), summary);
    }

    // Before the decoders were bounded, one 88-byte BigTIFF kept a core busy for good and held the drain to DRAIN_SECONDS.
    // Now every decode in flight at SIGTERM ends within its own bound (a 12 MP photo is the slowest), so the drain
    // ends as soon as they do.
    [Test, CancelAfter(90_000)]
    public async Task SigTerm_WhileDecodingBombsAndPhotos_ExitsLongBeforeDrainSeconds(CancellationToken token)
    {
        const int drainSeconds = 20;
        var files = new[] { DecoderFuzzCorpus.BigTiffBomb(), DecoderFuzzCorpus.GifBomb(), PhonePhoto.OfAOne(4000, 3000) };
        await using var server = ServerProcess.Start(("DRAIN_SECONDS", drainSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await server.WaitForServingAsync(token);
        using var channel = GrpcChannel.ForAddress(server.GrpcAddress);
        var client = new V1.Mnist.MnistClient(channel);

        var outcomes = new ConcurrentQueue<StatusCode>();
        using var stopLoad = new CancellationTokenSource();
        var load = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var call = worker; !stopLoad.IsCancellationRequested; call++)
            {
                var request = new PredictRequest { Image = ByteString.CopyFrom(files[call % files.Length]) };
                outcomes.Enqueue(await GrpcOutcome.StatusOfAsync(client.PredictAsync(request, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync));
            }
        }, token)).ToArray();
        var loaded = Stopwatch.StartNew();
        while (outcomes.Count(o => o == StatusCode.OK) < 8 && loaded.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20, token);
        }

        // No new calls after SIGTERM (a Service would already send them elsewhere): what is measured is the drain of
        // the decodes in flight, not how fast the server refuses a flood of calls in a loop.
        await stopLoad.CancelAsync();
        var clock = Stopwatch.StartNew();
        server.Terminate();
        var exited = await server.WaitForExitAsync(TimeSpan.FromSeconds(drainSeconds + 2));
        var drained = clock.Elapsed;
        await Task.WhenAll(load).WaitAsync(TimeSpan.FromSeconds(40), token);

        var summary = $"SIGTERM while decoding bombs and 12 MP photos: exit after {drained.TotalMilliseconds:F0} ms (DRAIN_SECONDS {drainSeconds}); "
            + string.Join(", ", outcomes.GroupBy(o => o).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"));
        TestContext.Progress.WriteLine(summary);
        Assert.That(exited, Is.True, $"still running {drainSeconds + 2} s after SIGTERM\n{server}");
        Assert.That(server.ExitCode, Is.Zero, server.ToString());
        Assert.That(drained, Is.LessThan(TimeSpan.FromSeconds(drainSeconds / 2)), summary);
        Assert.That(outcomes, Has.Some.EqualTo(StatusCode.InvalidArgument), "the bombs were sent and refused: " + summary);
        Assert.That(outcomes, Is.All.AnyOf(StatusCode.OK, StatusCode.InvalidArgument, StatusCode.ResourceExhausted, StatusCode.Unavailable), summary);
    }

    private static HttpRequestMessage HeldRequest(Uri address, HttpContent content)
    {
        content.Headers.TryAddWithoutValidation("Content-Type", "application/grpc");
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "/mnist.v1.Mnist/Predict"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        return request;
    }
}
