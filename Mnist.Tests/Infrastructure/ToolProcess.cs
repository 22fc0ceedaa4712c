using System.Diagnostics;

namespace Mnist.Tests;

/// <summary>Runs a command-line tool (python3, protoc) to completion and returns its output; a failure fails the test.</summary>
internal static class ToolProcess
{
    public static string Run(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.That(process.WaitForExit(60_000), Is.True, $"{fileName} {string.Join(' ', arguments)} did not finish");
        Assert.That(process.ExitCode, Is.Zero, $"{fileName} {string.Join(' ', arguments)} failed: {stderr.Result}");
        return stdout.Result;
    }
}
