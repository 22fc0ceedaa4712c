using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Net.Client;
using Mnist.V1;

namespace Mnist.Tests.Processes.Robustness;

/// <summary>
/// SIGTERM while two CPU hogs hold both cores, ten times over: every call of the .NET clients and of the Python
/// grpcio clients ends OK or UNAVAILABLE (never INTERNAL from a connection closed under a late response), and the
/// server exits 0 within DRAIN_SECONDS.
/// </summary>
[NonParallelizable]
[Category("Process")]
public class DrainUnderCpuStarvationTests
{
    private const int Rounds = 10;
    private const int DrainSeconds = 10;
    private const string Python = "/usr/bin/python3";
    private static readonly string[] AllowedOutcomes = [".NET OK", ".NET Unavailable", "grpcio OK", "grpcio UNAVAILABLE"];

    [Test, CancelAfter(240_000)]
    public async Task SigTerm_TwoCpuHogs_TenRoundsEveryCallOkOrUnavailable(CancellationToken cancellationToken)
    {
        Assert.That(File.Exists(Python), Is.True, "python3 is missing: run scripts/deps.sh test");
        var requestFile = Path.GetTempFileName();
        await File.WriteAllBytesAsync(requestFile, new PredictRequest { Pixels = ByteString.CopyFrom(TestModel.TestSet.Image(3)) }.ToByteArray(), cancellationToken);
        var totals = new ConcurrentDictionary<string, int>();
        try
        {
            for (var round = 1; round <= Rounds; round++)
            {
                var (outcomes, exitCode, drained) = await RunRoundAsync(requestFile, cancellationToken);
                foreach (var (outcome, count) in outcomes)
                {
                    totals.AddOrUpdate(outcome, count, (_, sum) => sum + count);
                }

                TestContext.Out.WriteLine($"round {round}: exit {exitCode} {drained.TotalMilliseconds:F0} ms after SIGTERM; "
                    + string.Join(", ", outcomes.Select(kv => $"{kv.Key} {kv.Value}")));
                Assert.That(exitCode, Is.Zero, $"round {round}");
                Assert.That(drained, Is.LessThan(TimeSpan.FromSeconds(DrainSeconds + 2)), $"round {round}");
                Assert.That(outcomes.Keys, Is.SubsetOf(AllowedOutcomes), $"round {round}");
            }
        }
        finally
        {
            File.Delete(requestFile);
            TestContext.Out.WriteLine($"{Rounds} rounds under two CPU hogs: " + string.Join(", ", totals.Select(kv => $"{kv.Key} {kv.Value}")));
        }
    }

    private static async Task<(Dictionary<string, int> Outcomes, int ExitCode, TimeSpan Drained)> RunRoundAsync(string requestFile, CancellationToken cancellationToken)
    {
        await using var server = ServerProcess.Start(("DRAIN_SECONDS", DrainSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await server.WaitForServingAsync(cancellationToken);
        using var channel = GrpcChannel.ForAddress(server.GrpcAddress);
        var outcomes = new ConcurrentQueue<string>();
        using var python = StartPython(server, requestFile);
        var pythonStarted = python.StandardOutput.ReadLineAsync(cancellationToken).AsTask();
        var hogs = Enumerable.Range(0, 2).Select(_ => Process.Start("/bin/sh", ["-c", "exec yes > /dev/null"])).ToList();
        try
        {
            using var stopLoad = new CancellationTokenSource();
            var load = PredictLoad.Start(channel, 8, outcomes, stopLoad.Token);
            if (await pythonStarted.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken) != "started")
            {
                Assert.Fail("the grpcio clients did not start: " + await python.StandardError.ReadToEndAsync(cancellationToken));
            }

            var loaded = Stopwatch.StartNew();
            while (outcomes.Count(o => o == "OK") < 50 && loaded.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(20, cancellationToken);
            }

            var clock = Stopwatch.StartNew();
            server.Terminate();
            var exited = await server.WaitForExitAsync(TimeSpan.FromSeconds(DrainSeconds + 5));
            var drained = clock.Elapsed;
            await Task.Delay(200, cancellationToken);
            await stopLoad.CancelAsync();
            python.StandardInput.Close();
            await Task.WhenAll(load).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            var pythonOutcomes = JsonSerializer.Deserialize<Dictionary<string, int>>(
                await python.StandardOutput.ReadLineAsync(cancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), cancellationToken) ?? "{}")!;
            Assert.That(exited, Is.True, server.ToString());
            // Each outcome by client: the two libraries spell UNAVAILABLE each their own way.
            var all = outcomes.GroupBy(o => o).ToDictionary(g => ".NET " + g.Key, g => g.Count());
            foreach (var (outcome, count) in pythonOutcomes)
            {
                all["grpcio " + outcome] = count;
            }

            return (all,
                server.ExitCode, drained);
        }
        finally
        {
            foreach (var hog in hogs)
            {
                hog.Kill();
                await hog.WaitForExitAsync(CancellationToken.None);
                hog.Dispose();
            }

            if (!python.HasExited)
            {
                python.Kill();
            }
        }
    }

    private static Process StartPython(ServerProcess server, string requestFile)
    {
        var script = Path.Combine(RepoPaths.Root, "Mnist.Tests", "Process", "Robustness", "grpcio_drain_load.py");
        var start = new ProcessStartInfo(Python, [script, $"127.0.0.1:{server.GrpcAddress.Port}", requestFile, "4"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return Process.Start(start)!;
    }
}
