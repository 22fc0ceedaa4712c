namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>
/// A Dockerfile parsed into stages: comments dropped, continuation lines joined, each FROM's image resolved with
/// the defaults of the ARGs declared before the first FROM (what a build without --build-arg uses).
/// </summary>
internal sealed class Dockerfile
{
    private Dockerfile(string path, IReadOnlyList<DockerStage> stages)
    {
        Path = path;
        Stages = stages;
    }

    public string Path { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    public DockerStage Final => Stages[^1];

    public DockerStage Stage(string name) => Stages.Single(s => s.Name == name);

    public static Dockerfile Load(string path) => new(path, Parse(File.ReadAllLines(path)));

    internal static IReadOnlyList<DockerStage> Parse(IEnumerable<string> lines)
    {
        var stages = new List<DockerStage>();
        var globalArgs = new Dictionary<string, string>();
        foreach (var (keyword, arguments) in LogicalLines(lines))
        {
            if (keyword == "FROM")
            {
                var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var platform = words.FirstOrDefault(w => w.StartsWith("--platform=", StringComparison.Ordinal));
                var rest = words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToArray();
                var name = rest.Length == 3 && rest[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? rest[2] : null;
                stages.Add(new DockerStage(rest[0], DockerStage.Substitute(rest[0], globalArgs), name, platform?["--platform=".Length..]));
            }
            else if (stages.Count > 0)
            {
                stages[^1].Instructions.Add(new DockerInstruction(keyword, arguments));
            }
            else if (keyword == "ARG")
            {
                foreach (var (key, value) in new DockerInstruction(keyword, arguments).Pairs)
                {
                    globalArgs[key] = value;
                }
            }
        }

        return stages;
    }

    private static IEnumerable<(string Keyword, string Arguments)> LogicalLines(IEnumerable<string> lines)
    {
        var pending = "";
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1].TrimEnd() + " ";
                continue;
            }

            var full = (pending + line).Trim();
            pending = "";
            var space = full.IndexOf(' ', StringComparison.Ordinal);
            yield return space < 0 ? (full.ToUpperInvariant(), "") : (full[..space].ToUpperInvariant(), full[(space + 1)..].Trim());
        }
    }
}
