using System.Text.RegularExpressions;

namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>.dockerignore matching: patterns anchored at the context root, `**` any depth, last match wins,
/// a path is excluded when it or one of its parent folders matches.</summary>
internal sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Exclude)> _rules;

    private DockerIgnore(IEnumerable<string> lines) =>
        _rules = lines.Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.StartsWith('!') ? (ToRegex(l[1..]), false) : (ToRegex(l), true))
            .ToList();

    public static DockerIgnore Load(string path) => new(File.ReadAllLines(path));

    internal static DockerIgnore FromLines(params string[] lines) => new(lines);

    public bool Excludes(string relativePath)
    {
        var parts = relativePath.Replace('\\', '/').Trim('/').Split('/');
        for (var length = 1; length <= parts.Length; length++)
        {
            var candidate = string.Join('/', parts.Take(length));
            var excluded = false;
            foreach (var (pattern, exclude) in _rules)
            {
                if (pattern.IsMatch(candidate))
                {
                    excluded = exclude;
                }
            }

            if (excluded)
            {
                return true;
            }
        }

        return false;
    }

    private static Regex ToRegex(string pattern)
    {
        var glob = pattern.Replace('\\', '/').Trim('/');
        var regex = Regex.Escape(glob)
            .Replace(@"\*\*/", "(?:.*/)?", StringComparison.Ordinal)
            .Replace(@"\*\*", ".*", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]*", StringComparison.Ordinal)
            .Replace(@"\?", "[^/]", StringComparison.Ordinal);
        return new Regex("^" + regex + "$", RegexOptions.CultureInvariant);
    }
}
