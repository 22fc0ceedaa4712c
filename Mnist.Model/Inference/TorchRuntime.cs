using System.Reflection;
using System.Text.Json;

namespace Mnist.Model.Inference;

/// <summary>The versions of TorchSharp and of the libtorch it runs on, as this process loaded them.</summary>
public static class TorchRuntime
{
    /// <summary>TorchSharp's package version, e.g. 0.107.0.</summary>
    public static string TorchSharpVersion { get; } = typeof(TorchSharp.torch).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The libtorch package version the application was built with, e.g. 2.10.0, from its deps.json.</summary>
    public static string LibTorchVersion { get; } = FindLibTorchVersion() ?? "unknown";

    // libtorch reports no version at run time; the host's dependency manifest names the package it resolved.
    private static string? FindLibTorchVersion()
    {
        var listed = AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string ?? "";
        var files = listed.Split([';', Path.PathSeparator], StringSplitOptions.RemoveEmptyEntries)
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.deps.json"))
            .Where(File.Exists);
        foreach (var file in files)
        {
            using var deps = JsonDocument.Parse(File.ReadAllBytes(file));
            if (!deps.RootElement.TryGetProperty("libraries", out var libraries))
            {
                continue;
            }

            foreach (var library in libraries.EnumerateObject())
            {
                var slash = library.Name.IndexOf('/', StringComparison.Ordinal);
                if (slash > 0 && library.Name.AsSpan(0, slash).Equals("libtorch-cpu", StringComparison.OrdinalIgnoreCase))
                {
                    return library.Name[(slash + 1)..];
                }
            }
        }

        return null;
    }
}
