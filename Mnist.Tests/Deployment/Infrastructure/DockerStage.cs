using System.Text.RegularExpressions;

namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>A FROM ... [AS name] stage and its instructions.</summary>
internal sealed partial class DockerStage(string baseImageReference, string baseImage, string? name, string? platform)
{
    /// <summary>The FROM image as written, e.g. <c>${RUNTIME_IMAGE}</c>.</summary>
    public string BaseImageReference { get; } = baseImageReference;

    /// <summary>The FROM image with the ARG defaults substituted: what a plain build uses.</summary>
    public string BaseImage { get; } = baseImage;

    public string? Name { get; } = name;

    /// <summary>The value of FROM --platform=..., or null.</summary>
    public string? Platform { get; } = platform;

    public List<DockerInstruction> Instructions { get; } = [];

    public IEnumerable<DockerInstruction> All(string keyword) =>
        Instructions.Where(i => i.Keyword == keyword);

    /// <summary>ENV (or LABEL) pairs of the stage, later ones winning.</summary>
    public IReadOnlyDictionary<string, string> Pairs(string keyword)
    {
        var result = new Dictionary<string, string>();
        foreach (var pair in All(keyword).SelectMany(i => i.Pairs))
        {
            result[pair.Key] = pair.Value;
        }

        return result;
    }

    /// <summary>COPY instructions that take files from the build context (not --from another stage).</summary>
    public IEnumerable<(int Index, IReadOnlyList<string> Sources)> ContextCopies =>
        Instructions.Select((instruction, index) => (instruction, index))
            .Where(x => x.instruction.Keyword == "COPY" && !x.instruction.Split().Flags.ContainsKey("from"))
            .Select(x => (x.index, (IReadOnlyList<string>)x.instruction.Split().Words.SkipLast(1).ToList()));

    public int IndexOfRun(string fragment) =>
        Instructions.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains(fragment, StringComparison.Ordinal));

    /// <summary>Replaces $NAME and ${NAME} with the given values; unknown names stay as written.</summary>
    public static string Substitute(string text, IReadOnlyDictionary<string, string> values) =>
        VariablePattern().Replace(text, m => values.GetValueOrDefault(m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["bare"].Value) ?? m.Value);

    [GeneratedRegex(@"\$(?:\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)\}|(?<bare>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex VariablePattern();
}
