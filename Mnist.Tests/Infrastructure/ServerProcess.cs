using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mnist.Tests;

/// <summary>
/// The built server (<c>dotnet Mnist.Inference.Grpc.dll</c> from its project's output) as a child process on free
/// loopback ports with a temporary MODEL_DIR holding the test model, so a test can send it real signals.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    // USER_HZ, 100 on Linux for every architecture that matters here.
    private const int ClockTicksPerSecond = 100;

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, string modelDir, int grpcPort, int httpPort)
    {
        _process = process;
        ModelDir = modelDir;
        GrpcAddress = new Uri($"http://127.0.0.1:{grpcPort}");
        HttpAddress = new Uri($"http://127.0.0.1:{httpPort}");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string ModelDir { get; }

    public Uri GrpcAddress { get; }

    public Uri HttpAddress { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static ServerProcess Start(params (string Key, string Value)[] settings)
    {
        var modelDir = Directory.CreateTempSubdirectory("mnist-drain-").FullName;
        TestModel.WriteTo(modelDir);
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var server = Path.Combine(RepoPaths.Root, "Mnist.Inference.Grpc", "bin", configuration, "net10.0", "Mnist.Inference.Grpc.dll");
        var grpcPort = FreePort();
        var httpPort = FreePort();
        var start = new ProcessStartInfo("dotnet", [server])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(server)!,
        };
        start.Environment["GRPC_PORT"] = grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["HTTP_PORT"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["METRICS_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["MODEL_DIR"] = modelDir;
        start.Environment["DATA_DIR"] = RepoPaths.MnistData;
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        return new ServerProcess(Process.Start(start)!, modelDir, grpcPort, httpPort);
    }

    /// <summary>The peak resident set so far (VmHWM), in MiB: what a pod's memory limit is checked against.</summary>
    public double PeakRssMiB => StatusKilobytes("VmHWM") / 1024.0;

    /// <summary>The resident set now (VmRSS), in MiB.</summary>
    public double RssMiB => StatusKilobytes("VmRSS") / 1024.0;

    /// <summary>CPU time used so far, user and system (utime + stime of /proc/PID/stat).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            var stat = File.ReadAllText($"/proc/{Id}/stat");
            // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
        }
    }

    /// <summary>Waits until grpc.health.v1 says SERVING; fails the test if it never does.</summary>
    public async Task WaitForServingAsync(CancellationToken cancellationToken = default)
    {
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(GrpcAddress);
        var health = new Grpc.Health.V1.Health.HealthClient(channel);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && !HasExited)
        {
            try
            {
                var response = await health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken);
                if (response.Status == Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (Grpc.Core.RpcException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }

        Assert.Fail($"the server never reported SERVING\n{this}");
    }

    /// <summary>SIGTERM, as the kubelet stops a container.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    /// <summary>True when the process exited within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public override string ToString() => $"server pid {Id}{(HasExited ? $", exit {ExitCode}" : "")}\n{Output}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        Directory.Delete(ModelDir, recursive: true);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private long StatusKilobytes(string field)
    {
        var line = File.ReadLines($"/proc/{Id}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
