using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>One Dockerfile instruction with its continuation lines joined.</summary>
internal sealed partial record DockerInstruction(string Keyword, string Arguments)
{
    /// <summary>key=value pairs of ENV, LABEL and ARG (values may be double-quoted or empty).</summary>
    public IReadOnlyDictionary<string, string> Pairs =>
        PairPattern().Matches(Arguments).ToDictionary(m => m.Groups["key"].Value,
            m => m.Groups["quoted"].Success ? m.Groups["quoted"].Value : m.Groups["bare"].Value);

    /// <summary>Words of the instruction, with leading --flags split off.</summary>
    public (IReadOnlyDictionary<string, string> Flags, IReadOnlyList<string> Words) Split()
    {
        var tokens = Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var flags = tokens.TakeWhile(t => t.StartsWith("--", StringComparison.Ordinal))
            .Select(t => t[2..].Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        return (flags, tokens.Skip(flags.Count).ToList());
    }

    /// <summary>The exec-form (JSON array) arguments, or null for shell form.</summary>
    public IReadOnlyList<string>? ExecForm
    {
        get
        {
            if (!Arguments.TrimStart().StartsWith('['))
            {
                return null;
            }

            try
            {
                return JsonSerializer.Deserialize<string[]>(Arguments);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    [GeneratedRegex("""(?<key>[A-Za-z_][A-Za-z0-9_.\-]*)=(?:"(?<quoted>[^"]*)"|(?<bare>[^\s"]*))""")]
    private static partial Regex PairPattern();
}
