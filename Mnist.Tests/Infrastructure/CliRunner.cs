using System.Diagnostics;
using Mnist.Cli;

namespace Mnist.Tests;

/// <summary>Runs the real CLI: in-process through <see cref="MnistCli.RunAsync(string[], TextWriter, TextWriter, Stream?)"/>, or as the built mnist.dll.</summary>
internal static class CliRunner
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<CliResult> RunAsync(params string[] args) => await RunAsync(args, stdin: null);

    public static async Task<CliResult> RunAsync(string[] args, byte[]? stdin)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var input = new MemoryStream(stdin ?? []);
        var exitCode = await MnistCli.RunAsync(args, stdout, stderr, input).WaitAsync(Timeout);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>With a given environment (e.g. MNIST_SERVER), without touching the test process's own.</summary>
    public static async Task<CliResult> RunWithEnvironmentAsync(string[] args, IReadOnlyDictionary<string, string> variables)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var environment = new CliEnvironment(stdout, stderr, () => Stream.Null, name => variables.GetValueOrDefault(name), Colour: false);
        var exitCode = await MnistCli.RunAsync(args, environment).WaitAsync(Timeout);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// The built tool, as <c>dotnet mnist.dll</c>, in a child process; or the executable named by MNIST_CLI
    /// (e.g. a single-file or trimmed publish) so the same tests check a published binary.
    /// </summary>
    public static async Task<CliResult> RunProcessAsync(string[] args, byte[]? stdin = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var published = Environment.GetEnvironmentVariable("MNIST_CLI");
        var start = new ProcessStartInfo(string.IsNullOrEmpty(published) ? "dotnet" : published)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (string.IsNullOrEmpty(published))
        {
            start.ArgumentList.Add(ToolPath);
        }

        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("MNIST_SERVER");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
            var stderr = process.StandardError.ReadToEndAsync(cts.Token);
            await process.StandardInput.BaseStream.WriteAsync(stdin ?? [], cts.Token);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cts.Token);
            return new CliResult(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>
    /// mnist.dll from the CLI project's own output, with the dependencies it ships: a copy beside the tests would
    /// bind to the ASP.NET Core framework the server brings into the test folder, which a user's machine may lack.
    /// </summary>
    public static string ToolPath { get; } = FindTool();

    private static string FindTool()
    {
        // Same configuration as the tests.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var built = Path.Combine(RepoPaths.Root, "Mnist.Cli", "bin", configuration, "net10.0", "mnist.dll");
        return File.Exists(built) ? built : throw new FileNotFoundException("mnist.dll was not built", built);
    }
}
