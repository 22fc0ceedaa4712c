using System.Globalization;

namespace Mnist.Benchmarks;

/// <summary>
/// <c>--name value</c> pairs for a mode, then everything after a lone <c>--</c> (a command to run, for example).
/// Unknown or malformed options fail with a message naming them.
/// </summary>
internal sealed class BenchmarkArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public BenchmarkArguments(string[] args)
    {
        var i = 0;
        for (; i < args.Length && args[i] != "--"; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected '--name value' pairs, got '{args[i]}'");
            }

            _values[args[i][2..]] = args[i + 1];
        }

        Rest = i < args.Length ? args[(i + 1)..] : [];
    }

    /// <summary>The words after <c>--</c>.</summary>
    public string[] Rest { get; }

    public string Text(string name, string? fallback = null) =>
        _values.TryGetValue(name, out var value) ? value
        : fallback ?? throw new ArgumentException($"--{name} is required");

    public int Integer(string name, int fallback) =>
        _values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public double Number(string name, double fallback) =>
        _values.TryGetValue(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
