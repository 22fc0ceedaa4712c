namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>A FROM ... [AS name] stage and its instructions.</summary>
internal sealed class DockerStage(string baseImage, string? name, string? platform)
{
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
}
