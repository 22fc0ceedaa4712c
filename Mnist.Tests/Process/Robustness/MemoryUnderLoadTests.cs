using System.Collections.Concurrent;
using System.Diagnostics;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Mnist.V1;

namespace Mnist.Tests.Processes.Robustness;

/// <summary>
/// The real server process's memory under the Deployment's limit (512 MiB) whatever arrives: tiny files that declare
/// huge pictures, and a thousand large uploads at once, while health keeps answering within the kubelet's second.
/// </summary>
[NonParallelizable]
[Category("Process")]
public class MemoryUnderLoadTests
{
    private const double PodLimitMiB = 512;

    [Test, CancelAfter(90_000)]
    public async Task Predict_TinyPngsDeclaringHugePictures_16ThreadsTimes3_PeakRssUnderTheLimitLess10Percent(CancellationToken cancellationToken)
    {
        // 4096x4096 is past the pixel budget (refused from its header); 4096x3072 is at it (decoded, one per slot), and
        // so is a 12 MP phone photo, the costliest decode (a colour JPEG without chroma subsampling).
        var tooLarge = TestPngEncoder.Encode(new byte[4096 * 4096], 4096, 4096);
        var atBudget = TestPngEncoder.Encode(new byte[4096 * 3072], 4096, 3072);
        var photo = PhonePhoto.OfAOne(4000, 3000);
        await using var server = ServerProcess.Start();
        await server.WaitForServingAsync(cancellationToken);
        using var channel = GrpcChannel.ForAddress(server.GrpcAddress);
        var client = new V1.Mnist.MnistClient(channel);
        var idle = server.RssMiB;

        var outcomes = new ConcurrentQueue<StatusCode>();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(thread => Task.Run(async () =>
        {
            for (var call = 0; call < 3; call++)
            {
                foreach (var png in new[] { tooLarge, atBudget, photo })
                {
                    outcomes.Enqueue(await GrpcOutcome.StatusOfAsync(client.PredictAsync(new PredictRequest { Image = ByteString.CopyFrom(png) },
                        deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken).ResponseAsync));
                }
            }
        }, cancellationToken)));
        var peak = server.PeakRssMiB;

        TestContext.Out.WriteLine($"16 threads x 3 x ({tooLarge.Length}-byte PNG of 4096x4096, {atBudget.Length}-byte PNG of 4096x3072, {photo.Length}-byte 4:4:4 JPEG of 4000x3000): "
            + $"{Summary(outcomes)}; RSS idle {idle:F0} MiB, peak (VmHWM) {peak:F0} MiB, limit less 10 % {PodLimitMiB * 0.9:F0} MiB");
        Assert.That(peak, Is.LessThan(PodLimitMiB * 0.9));
        Assert.That(outcomes, Is.All.AnyOf(StatusCode.ResourceExhausted, StatusCode.InvalidArgument, StatusCode.OK));
        Assert.That(outcomes.Count(o => o == StatusCode.ResourceExhausted), Is.GreaterThanOrEqualTo(48), "every 4096x4096 file is refused");
    }

    [Test, CancelAfter(120_000)]
    public async Task Predict_1000ConcurrentLargeUploads_EachOkOrRefusedHealthWithinASecondRssUnderTheLimit(CancellationToken cancellationToken)
    {
        var upload = NoisyDigitPng(side: 520);
        await using var server = ServerProcess.Start();
        await server.WaitForServingAsync(cancellationToken);
        using var channel = GrpcChannel.ForAddress(server.GrpcAddress);
        using var probeChannel = GrpcChannel.ForAddress(server.GrpcAddress);
        var client = new V1.Mnist.MnistClient(channel);
        var health = new Health.HealthClient(probeChannel);
        await client.PredictAsync(new PredictRequest { Image = ByteString.CopyFrom(upload) }, cancellationToken: cancellationToken);

        using var loadDone = new CancellationTokenSource();
        var probes = ProbeHealthAsync(health, loadDone.Token);
        var clock = Stopwatch.StartNew();
        var request = new PredictRequest { Image = ByteString.CopyFrom(upload) };
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => GrpcOutcome.StatusOfAsync(
            client.PredictAsync(request, deadline: DateTime.UtcNow.AddSeconds(60), cancellationToken: cancellationToken).ResponseAsync)));
        var elapsed = clock.Elapsed;
        await loadDone.CancelAsync();
        var (slowestProbe, probeCount, probeFailures) = await probes;
        var peak = server.PeakRssMiB;

        TestContext.Out.WriteLine($"1000 concurrent Predict calls of a {upload.Length / 1024} KB PNG: {Summary(outcomes)} in {elapsed.TotalSeconds:F1} s; "
            + $"health: {probeCount} checks, slowest {slowestProbe.TotalMilliseconds:F0} ms, {probeFailures} failed; peak RSS (VmHWM) {peak:F0} MiB");
        Assert.That(outcomes, Is.All.AnyOf(StatusCode.OK, StatusCode.ResourceExhausted, StatusCode.Unavailable));
        Assert.That(outcomes, Has.Some.EqualTo(StatusCode.OK));
        Assert.That(probeFailures, Is.Zero);
        Assert.That(slowestProbe, Is.LessThan(TimeSpan.FromSeconds(1)));
        Assert.That(peak, Is.LessThan(PodLimitMiB));
    }

    private static async Task<(TimeSpan Slowest, int Count, int Failures)> ProbeHealthAsync(Health.HealthClient health, CancellationToken stop)
    {
        var slowest = TimeSpan.Zero;
        var count = 0;
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                // The kubelet's timeout: a probe slower than a second is a failed probe.
                var response = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(1), cancellationToken: CancellationToken.None);
                failures += response.Status == HealthCheckResponse.Types.ServingStatus.Serving ? 0 : 1;
            }
            catch (RpcException)
            {
                failures++;
            }

            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            count++;
            await Task.Delay(100, CancellationToken.None);
        }

        return (slowest, count, failures);
    }

    // A test digit drawn large in colour with noise in every pixel, so that PNG cannot compress it: a large upload
    // that still reads as a digit.
    private static byte[] NoisyDigitPng(int side)
    {
        var digit = TestModel.TestSet.Image(0);
        var random = new Random(18);
        var rgb = new byte[side * side * 3];
        for (var y = 0; y < side; y++)
        {
            for (var x = 0; x < side; x++)
            {
                var ink = digit[(y * 28 / side * 28) + (x * 28 / side)];
                for (var c = 0; c < 3; c++)
                {
                    rgb[(((y * side) + x) * 3) + c] = (byte)Math.Clamp(ink + random.Next(-24, 25), 0, 255);
                }
            }
        }

        return TestPngEncoder.Encode(rgb, side, side, TestPngEncoder.Rgb);
    }

    private static string Summary(IEnumerable<StatusCode> outcomes) =>
        string.Join(", ", outcomes.GroupBy(o => o).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"));
}
