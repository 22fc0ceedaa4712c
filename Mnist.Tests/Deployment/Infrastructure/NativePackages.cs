namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>Which distribution package ships each native library the code loads.</summary>
internal static class NativePackages
{
    /// <summary>Ubuntu 24.04, the base of the .NET 10 runtime images (time_t transition names: *t64).</summary>
    public const string Noble = "noble";

    /// <summary>Debian 12, the development and CI machines (scripts/deps.sh).</summary>
    public const string Bookworm = "bookworm";

    private static readonly Dictionary<string, Dictionary<string, string>> Table = new()
    {
        [Noble] = new()
        {
            ["libopenblas.so.0"] = "libopenblas0-pthread",
            ["libpng16.so.16"] = "libpng16-16t64",
            ["libturbojpeg.so.0"] = "libturbojpeg",
        },
        [Bookworm] = new()
        {
            ["libopenblas.so.0"] = "libopenblas0-pthread",
            ["libpng16.so.16"] = "libpng16-16",
            ["libturbojpeg.so.0"] = "libturbojpeg0",
        },
    };

    /// <summary>The package for a library, or an exception naming what to add to this table.</summary>
    public static string For(string distribution, string library) =>
        Table.TryGetValue(distribution, out var packages)
            ? packages.TryGetValue(library, out var package)
                ? package
                : throw new KeyNotFoundException(
                    $"No {distribution} package known for native library '{library}': add it to {nameof(NativePackages)} " +
                    "and install it in the Dockerfiles' runtime stage and scripts/deps.sh.")
            : throw new KeyNotFoundException($"Unknown distribution '{distribution}'; known: {string.Join(", ", Table.Keys)}.");
}
