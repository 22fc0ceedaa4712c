using System.Text.RegularExpressions;

namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>
/// Finds the native libraries C# sources bind to: names in [LibraryImport]/[DllImport] and string
/// constants that look like sonames (so `LibraryImport(OpenBlas.Library)` with a const is caught too).
/// </summary>
internal static partial class NativeLibraryScanner
{
    public static IReadOnlySet<string> Scan(IEnumerable<string> projectDirectories) =>
        projectDirectories
            .SelectMany(dir => Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories))
            .Where(file => !IsBuildOutput(file))
            .SelectMany(file => ScanText(File.ReadAllText(file)))
            .ToHashSet();

    public static IEnumerable<string> ScanText(string source) =>
        ImportPattern().Matches(source).Select(m => m.Groups["name"].Value)
            .Concat(SonamePattern().Matches(source).Select(m => m.Groups["name"].Value))
            .Distinct();

    private static bool IsBuildOutput(string file)
    {
        var parts = file.Split(Path.DirectorySeparatorChar);
        return parts.Contains("obj") || parts.Contains("bin");
    }

    [GeneratedRegex("""(?:LibraryImport|DllImport)\s*\(\s*"(?<name>[^"]+)"(?:\s*[,)])""")]
    private static partial Regex ImportPattern();

    [GeneratedRegex("""
        "(?<name>lib[A-Za-z0-9_+\-]+(?:\.so(?:\.\d+)*))"
        """)]
    private static partial Regex SonamePattern();
}
