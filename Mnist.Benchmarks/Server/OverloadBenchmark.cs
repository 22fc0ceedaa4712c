using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Mnist.Model.Data;
using Mnist.V1;

namespace Mnist.Benchmarks.Server;

/// <summary>
/// Mode <c>overload</c>: goodput (calls answered OK per second) and the latency of those calls, with a fixed number
/// of callers each sending Predict(pixels) again as soon as its last call ends. A caller refused with
/// RESOURCE_EXHAUSTED waits the server's <c>grpc-retry-pushback-ms</c> before its next call, as a gRPC client with a
/// retry policy does. Options: --address (http://127.0.0.1:50051), --data-dir (data/mnist), --in-flight (128),
/// --warmup-seconds (2), --seconds (5). Prints
/// <c>overload in_flight=N ok=X refused=Y failed=Z goodput=G p50_ms=A p99_ms=B</c> for scripts.
/// </summary>
internal static class OverloadBenchmark
{
    public static int Run(string[] args)
    {
        var options = new BenchmarkArguments(args);
        var inFlight = options.Integer("in-flight", 128);
        var test = MnistDataset.LoadTest(options.Text("data-dir", "data/mnist"));
        using var channel = GrpcChannel.ForAddress(options.Text("address", "http://127.0.0.1:50051"));
        var client = new V1.Mnist.MnistClient(channel);
        var request = new PredictRequest { Pixels = ByteString.CopyFrom(test.Image(0)) };

        Load(client, request, inFlight, TimeSpan.FromSeconds(options.Number("warmup-seconds", 2)));
        var seconds = options.Number("seconds", 5);
        var result = Load(client, request, inFlight, TimeSpan.FromSeconds(seconds));
        var latencies = result.Latencies.Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"overload in_flight={inFlight} ok={latencies.Length} refused={result.Refused} failed={result.Failed} "
            + $"goodput={latencies.Length / result.Elapsed.TotalSeconds:F0} p50_ms={Percentile(latencies, 0.50):F2} p99_ms={Percentile(latencies, 0.99):F2}"));
        return 0;
    }

    // A fixed window: only calls that end OK within it count, over its length. Calls still in flight at its end finish
    // uncounted, and a refused caller's pushback wait ends with it, so the wait is not charged to the server.
    private static (List<double> Latencies, long Refused, long Failed, TimeSpan Elapsed) Load(
        V1.Mnist.MnistClient client, PredictRequest request, int inFlight, TimeSpan duration)
    {
        var latencies = new List<double>();
        long refused = 0, failed = 0;
        using var window = new CancellationTokenSource(duration);
        var watch = Stopwatch.StartNew();
        var callers = Enumerable.Range(0, inFlight).Select(async _ =>
        {
            var mine = new List<double>();
            while (!window.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await client.PredictAsync(request, deadline: DateTime.UtcNow.AddSeconds(30));
                    if (watch.Elapsed <= duration)
                    {
                        mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
                {
                    Interlocked.Increment(ref refused);
                    var pushback = e.Trailers.GetValue("grpc-retry-pushback-ms");
                    try
                    {
                        await Task.Delay(int.TryParse(pushback, CultureInfo.InvariantCulture, out var ms) ? ms : 100, window.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        // The window closed during the wait.
                    }
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref failed);
                }
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
            }
        }).ToArray();
        Task.WaitAll(callers);
        return (latencies, refused, failed, duration);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
