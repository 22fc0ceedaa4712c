using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Mnist.V1;
using Mnist.Tests.Cli;
using Mnist.Tests.Deployment.Infrastructure;
using Mnist.Tests.Protocol;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Mnist.Tests.Deployment;

/// <summary>
/// Install, use, retrain and terminate, played from k8s/base on this machine (<see cref="PlayedCluster"/>;
/// scripts/e2e-cluster.sh runs this fixture). The steps build on each other, hence the order.
/// </summary>
[NonParallelizable]
public partial class ClusterShapedEndToEndTests
{
    private PlayedCluster _cluster = null!;
    private string _servedVersion = null!;

    private static string Digit7 => Path.Combine(RepoPaths.Root, "Mnist.Tests", "TestData", "digit-7.png");

    [OneTimeSetUp]
    public async Task ApplyManifests()
    {
        _cluster = await PlayedCluster.ApplyAsync();
        _servedVersion = _cluster.FirstVersion;
    }

    [OneTimeTearDown]
    public async Task DeleteCluster()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Test, Order(1)]
    public async Task Cli_PredictFileAndTestIds_Exit0()
    {
        var server = $"127.0.0.1:{_cluster.GrpcPort}";

        var file = await CliRunner.RunProcessAsync(["--server", server, "predict", Digit7]);
        var ids = await CliRunner.RunProcessAsync(["--server", server, "predict", "--test-ids", "0..49"]);

        Assert.That(file.ExitCode, Is.Zero, file.ToString());
        Assert.That(file.StdoutLines[0], Does.StartWith($"{Digit7}: 7 ("), file.ToString());
        Assert.That(ids.ExitCode, Is.Zero, ids.ToString());
        var accuracy = AccuracyLine().Match(ids.Stdout);
        Assert.That(accuracy.Success, Is.True, ids.ToString());
        Assert.That(int.Parse(accuracy.Groups["total"].Value), Is.EqualTo(50));
        Assert.That(int.Parse(accuracy.Groups["correct"].Value), Is.GreaterThanOrEqualTo(35), "a model trained on 3000 images gets ~88%");
    }

    [Test, Order(2)]
    public async Task Rest_JsonAndMultipartUploads_PredictSevenFromTheServedModel()
    {
        var png = await File.ReadAllBytesAsync(Digit7);
        using var json = new StringContent($$"""{"image": "{{Convert.ToBase64String(png)}}"}""", Encoding.UTF8, "application/json");
        using var image = new ByteArrayContent(png) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } };
        using var form = new MultipartFormDataContent { { image, "file", "digit-7.png" } };

        using var transcoded = await _cluster.Http.PostAsync(new Uri("/v1/predict", UriKind.Relative), json);
        using var upload = await _cluster.Http.PostAsync(new Uri("/predict", UriKind.Relative), form);
        using var healthz = await _cluster.Http.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.That(transcoded.StatusCode, Is.EqualTo(HttpStatusCode.OK), await transcoded.Content.ReadAsStringAsync());
        var prediction = JsonParser.Default.Parse<Prediction>(await transcoded.Content.ReadAsStringAsync());
        Assert.That(prediction.Digit, Is.EqualTo(7));
        Assert.That(prediction.ModelVersion, Is.EqualTo(_servedVersion));
        Assert.That(upload.StatusCode, Is.EqualTo(HttpStatusCode.OK), await upload.Content.ReadAsStringAsync());
        using var seed = JsonDocument.Parse(await upload.Content.ReadAsStringAsync());
        Assert.That(seed.RootElement.GetProperty("prediction").GetInt32(), Is.EqualTo(7));
        Assert.That(seed.RootElement.GetProperty("probs").GetArrayLength(), Is.EqualTo(10));
        Assert.That(healthz.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test, Order(3)]
    public async Task Retrain_OtherSeedWhilePredicting_ServerSwitchesWithoutAFailedCall()
    {
        await using var load = new PredictLoad(_cluster.Grpc, workers: 2, pause: TimeSpan.FromMilliseconds(20));

        var retrained = await _cluster.RetrainAsync(seed: "2");
        var switched = await WaitUntilAsync(() => load.Calls.Any(c => c.ModelVersion == retrained), TimeSpan.FromSeconds(30));
        await Task.Delay(500);
        var calls = await load.StopAsync();

        PlayedCluster.Say($"retrain: {calls.Count} calls while training and switching");
        Assert.That(retrained, Is.Not.EqualTo(_servedVersion));
        Assert.That(switched, Is.True, $"the server never answered with {retrained}\n{_cluster.Server}");
        Assert.That(calls.Where(c => c.Status != StatusCode.OK), Is.Empty);
        Assert.That(calls.Select(c => c.ModelVersion), Is.All.AnyOf(_servedVersion, retrained));
        // Once a call has seen the new model, every call started after it must see it too.
        var firstNew = calls.Where(c => c.ModelVersion == retrained).Min(c => c.Ended);
        Assert.That(calls.Where(c => c.Started > firstNew).Select(c => c.ModelVersion), Is.All.EqualTo(retrained));
        _servedVersion = retrained;
    }

    [Test, Order(4)]
    public async Task Probes_FromReadyUntilTermination_NeverReachTheirFailureThreshold()
    {
        foreach (var loop in new[] { _cluster.Readiness, _cluster.Liveness })
        {
            await loop.StopAsync();
            var longest = loop.LongestFailureRun(out var results);

            Assert.That(results, Is.Not.Empty, loop.Probe.ToString());
            Assert.That(longest, Is.LessThan(loop.Probe.FailureThreshold),
                $"{loop.Probe}: the kubelet would have acted\n{string.Join('\n', results)}");
        }
    }

    [Test, Order(5)]
    public async Task SigTerm_CallsInFlight_NotServingFirstThenDrainsAndExitsZero()
    {
        var pod = DeploymentFiles.Deployment.PodSpec;
        var grace = TimeSpan.FromSeconds(pod.Int("terminationGracePeriodSeconds") ?? 30);
        var preStop = TimeSpan.FromSeconds(_cluster.ServerContainer.Int("lifecycle.preStop.sleep.seconds") ?? 0);
        using var watchClient = GrpcChannel.ForAddress($"http://127.0.0.1:{_cluster.GrpcPort}");
        using var stopWatching = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var watches = new[] { "", ServerDefaults.ServiceName }.Select(s => new HealthWatch(watchClient, s, stopWatching.Token)).ToList();
        foreach (var watch in watches)
        {
            await watch.SeenAsync(ServingStatus.Serving, TimeSpan.FromSeconds(10));
        }

        using var raw = new HttpClient(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(60) };
        var release = new TaskCompletionSource();
        var held = SendHeldPredictAsync(raw, release.Task, out var firstPartSent);
        await firstPartSent.WaitAsync(TimeSpan.FromSeconds(10));
        await using var load = new PredictLoad(_cluster.Grpc, workers: 4, pause: TimeSpan.Zero);
        // The kubelet runs preStop (scaled here) while traffic still arrives, then sends SIGTERM.
        await Task.Delay(TimeSpan.FromMilliseconds(300) + preStop * PlayedCluster.PeriodScale);

        var terminated = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        _cluster.Server.Terminate();
        var notServing = await Task.WhenAll(watches.Select(w => w.SeenAsync(ServingStatus.NotServing, TimeSpan.FromSeconds(10))));
        release.SetResult();
        var heldResponse = await held.WaitAsync(TimeSpan.FromSeconds(30));
        var heldCompleted = DateTimeOffset.UtcNow;
        var exited = await _cluster.Server.WaitForExitAsync(grace - preStop);
        var drain = clock.Elapsed;
        var calls = await load.StopAsync();
        var watchEnds = await Task.WhenAll(watches.Select(w => w.Completion.WaitAsync(TimeSpan.FromSeconds(10))));

        PlayedCluster.Say($"SIGTERM: exit after {drain.TotalSeconds:F1} s; {calls.Count(c => c.Started < terminated && c.Ended > terminated && c.Status == StatusCode.OK)} " +
                          $"load calls in flight at SIGTERM completed; {calls.Count(c => c.Status != StatusCode.OK)} later calls refused; {string.Join("; ", watches)}");
        Assert.That(exited, Is.True, $"still running {grace - preStop} after SIGTERM (grace {grace} - preStop {preStop})\n{_cluster.Server}");
        Assert.That(_cluster.Server.ExitCode, Is.Zero, _cluster.Server.ToString());
        Assert.That(heldResponse.GrpcStatus, Is.EqualTo("0"), $"the call in flight at SIGTERM must complete: {heldResponse.GrpcMessage}");
        Assert.That(Prediction.Parser.ParseFrom(heldResponse.Body.AsSpan(5)).ModelVersion, Is.EqualTo(_servedVersion));
        Assert.That(notServing, Is.All.LessThan(heldCompleted), "health must turn NOT_SERVING while calls still drain");
        Assert.That(watchEnds, Is.All.EqualTo("OK"), string.Join("\n", watches));
        Assert.That(calls.Where(c => c.Ended < terminated).Select(c => c.Status), Is.All.EqualTo(StatusCode.OK));
        // Calls started after SIGTERM are refused (in a cluster none arrive: preStop covers endpoint removal).
        Assert.That(calls.Where(c => c.Status is not (StatusCode.OK or StatusCode.Unavailable)), Is.Empty);
    }

    /// <summary>A raw h2c Predict whose message is only half sent until <paramref name="release"/>: in flight at the server.</summary>
    private Task<RawResponse> SendHeldPredictAsync(HttpClient http, Task release, out Task firstPartSent)
    {
        var request = new PredictRequest { Pixels = ByteString.CopyFrom(TestModel.TestSet.Image(0)) };
        var frame = RawGrpc.Frame(request.ToByteArray());
        var content = new HeldBackContent(frame, frame.Length / 2, release);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{_cluster.GrpcPort}/mnist.v1.Mnist/Predict"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        message.Headers.TryAddWithoutValidation("te", "trailers");
        firstPartSent = content.FirstPartSent;
        return RawGrpc.SendAsync(http, message);
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    [GeneratedRegex(@"accuracy [^:]+: (?<correct>\d+) of (?<total>\d+) correct")]
    private static partial Regex AccuracyLine();
}
