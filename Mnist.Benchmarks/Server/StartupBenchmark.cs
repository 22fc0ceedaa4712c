using System.Diagnostics;
using Grpc.Health.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace Mnist.Benchmarks.Server;

/// <summary>
/// Mode <c>startup</c>: starts the server command given after <c>--</c> (its environment inherited), and times from
/// process start to the first grpc.health.v1 Check("") that answers SERVING; then stops it. Repeats and prints each
/// time and the median. Each probe opens a fresh connection (a new channel), so a refused first probe leaves no
/// reconnect backoff to wait out: the figure is the server's, not the client's. The client is warmed up first, so
/// its own JIT is not counted. The server's CPU time up to SERVING is printed too: unlike wall time it hardly changes
/// when other processes compete for the cores.
/// Options: --address (http://127.0.0.1:50051), --runs (3), --timeout-seconds (30).
/// Prints <c>STARTUP median_ms=X</c> for scripts.
/// </summary>
internal static class StartupBenchmark
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(5);

    public static int Run(string[] args)
    {
        var options = new BenchmarkArguments(args);
        if (options.Rest.Length == 0)
        {
            throw new ArgumentException("give the server command after '--', e.g. -- out/server/Mnist.Inference.Grpc");
        }

        var address = options.Text("address", "http://127.0.0.1:50051");
        var timeout = TimeSpan.FromSeconds(options.Number("timeout-seconds", 30));
        if (TryCheck(address) is not null)
        {
            Console.Error.WriteLine("something already answers on that address; stop it first");
            return 1;
        }

        var times = new List<double>();
        var cpuTimes = new List<double>();
        for (var run = 0; run < options.Integer("runs", 3); run++)
        {
            var (elapsed, cpu) = TimeToServing(options.Rest, address, timeout);
            if (elapsed is null)
            {
                Console.Error.WriteLine($"the server was not SERVING within {timeout.TotalSeconds} s");
                return 1;
            }

            times.Add(elapsed.Value.TotalMilliseconds);
            cpuTimes.Add(cpu.TotalMilliseconds);
            Console.WriteLine($"start-up {run + 1}: {elapsed.Value.TotalMilliseconds:F0} ms to SERVING, {cpu.TotalMilliseconds:F0} ms of server CPU time");
        }

        times.Sort();
        cpuTimes.Sort();
        Console.WriteLine($"STARTUP median_ms={times[times.Count / 2]:F0} median_cpu_ms={cpuTimes[cpuTimes.Count / 2]:F0}");
        return 0;
    }

    private static (TimeSpan? Elapsed, TimeSpan Cpu) TimeToServing(string[] command, string address, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(command[0], command[1..])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var clock = Stopwatch.StartNew();
        using var server = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command[0]}");
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"  server: {e.Data}"); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            while (clock.Elapsed < timeout && !server.HasExited)
            {
                if (TryCheck(address) == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    var elapsed = clock.Elapsed;
                    server.Refresh();
                    return (elapsed, server.TotalProcessorTime);
                }

                Thread.Sleep(PollInterval);
            }

            return (null, TimeSpan.Zero);
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill();
                server.WaitForExit();
            }
        }
    }

    private static HealthCheckResponse.Types.ServingStatus? TryCheck(string address)
    {
        // A channel per probe: a channel whose first connection was refused backs off (up to seconds) before trying again.
        using var channel = GrpcChannel.ForAddress(address);
        var health = new Health.HealthClient(channel);
        try
        {
            return health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2)).GetAwaiter().GetResult().Status;
        }
        catch (RpcException)
        {
            return null; // not listening yet (UNAVAILABLE) or not ready to answer
        }
    }
}
