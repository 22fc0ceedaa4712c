using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>
/// Replays a Dockerfile's SDK stage on this machine without Docker: every COPY from the build context (with
/// .dockerignore applied) into a fresh source folder, then every RUN in order, with the stage's ARGs set
/// (TARGETARCH = this machine's architecture, as buildx sets it for a native build) and the stage's absolute
/// container paths (WORKDIR, the publish output) mapped to temporary folders. What the final stage copies
/// from the build stage (<c>COPY --from=build /app .</c>) is then the published app, byte for byte.
/// </summary>
internal static class DockerBuildReplay
{
    public static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    /// <summary>Replays the build stage under <paramref name="root"/>; returns the folder the final stage runs from.</summary>
    public static async Task<string> PublishAsync(Dockerfile dockerfile, string root, TextWriter log)
    {
        var build = dockerfile.Stages.Single(s => s.Platform == "$BUILDPLATFORM");
        var (appPath, buildOutput) = FinalStageCopy(dockerfile, build);
        var workdir = build.All("WORKDIR").Single().Arguments;
        var paths = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [workdir] = Directory.CreateDirectory(Path.Combine(root, "src")).FullName,
            [buildOutput] = Path.Combine(root, "app"),
        };
        var ignore = DockerIgnore.Load(Path.Combine(RepoPaths.Root, ".dockerignore"));
        var arguments = new Dictionary<string, string> { ["TARGETARCH"] = TargetArch };

        foreach (var instruction in build.Instructions)
        {
            if (instruction.Keyword == "COPY")
            {
                var words = instruction.Split().Words;
                var destination = Path.Combine(paths[workdir], words[^1]);
                foreach (var source in words.SkipLast(1))
                {
                    CopyFromContext(source, destination, ignore);
                }
            }
            else if (instruction.Keyword == "RUN")
            {
                var command = string.Join(' ', instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(word => paths.TryGetValue(word, out var mapped) ? mapped : word));
                await RunAsync(command, paths[workdir], arguments, log);
            }
        }

        log.WriteLine($"{Path.GetFileName(dockerfile.Path)}: the final stage's {appPath} is {paths[buildOutput]}");
        return paths[buildOutput];
    }

    /// <summary>Docker's name for this machine's architecture, the value buildx gives TARGETARCH natively.</summary>
    public static string TargetArch => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        var other => throw new PlatformNotSupportedException($"No Docker architecture name known for {other}."),
    };

    /// <summary>The final stage must run what the build stage published: <c>WORKDIR X</c> + <c>COPY --from=build Y .</c>.</summary>
    private static (string AppPath, string BuildOutput) FinalStageCopy(Dockerfile dockerfile, DockerStage build)
    {
        var copy = dockerfile.Final.All("COPY").Single(c => c.Split().Flags.GetValueOrDefault("from") == build.Name);
        var words = copy.Split().Words;
        Assert.That(words, Is.EqualTo(new[] { words[0], "." }), $"{dockerfile.Path}: expected COPY --from={build.Name} <dir> .");
        return (dockerfile.Final.All("WORKDIR").Last().Arguments, words[0]);
    }

    private static void CopyFromContext(string source, string destination, DockerIgnore ignore)
    {
        var from = Path.Combine(RepoPaths.Root, source);
        if (File.Exists(from))
        {
            // Docker: several sources or a destination ending in "/" mean "into this folder".
            var target = destination.EndsWith('/') ? Path.Combine(destination, Path.GetFileName(from)) : destination;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(from, target, overwrite: true);
            return;
        }

        Assert.That(Directory.Exists(from), Is.True, $"COPY source {source} does not exist in the build context");
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepoPaths.Root, file);
            if (!ignore.Excludes(relative))
            {
                var target = Path.Combine(destination, Path.GetRelativePath(from, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target, overwrite: true);
            }
        }
    }

    private static async Task RunAsync(string command, string workingDirectory, IReadOnlyDictionary<string, string> arguments, TextWriter log)
    {
        log.WriteLine($"RUN {command}");
        var start = new ProcessStartInfo("/bin/sh") { WorkingDirectory = workingDirectory, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in arguments)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(RunTimeout);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            Assert.That(process.ExitCode, Is.Zero, $"RUN {command} failed:\n{await output}{await error}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
