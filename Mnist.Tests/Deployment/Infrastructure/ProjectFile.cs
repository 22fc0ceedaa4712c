using System.Xml.Linq;

namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>What a Dockerfile needs to know about a csproj: its name, SDK, references and outside inputs.</summary>
internal sealed class ProjectFile
{
    private readonly XDocument _document;

    private ProjectFile(string path)
    {
        FullPath = Path.GetFullPath(path);
        _document = XDocument.Load(FullPath);
    }

    public string FullPath { get; }

    public string Directory => Path.GetDirectoryName(FullPath)!;

    public string Sdk => _document.Root?.Attribute("Sdk")?.Value ?? "";

    /// <summary>AssemblyName when set, else the project file's name: what `dotnet X.dll` must name.</summary>
    public string AssemblyName =>
        _document.Descendants("AssemblyName").Select(e => e.Value.Trim()).FirstOrDefault()
        ?? Path.GetFileNameWithoutExtension(FullPath);

    public IEnumerable<ProjectFile> References =>
        _document.Descendants("ProjectReference")
            .Select(e => Load(Path.Combine(Directory, e.Attribute("Include")!.Value.Replace('\\', '/'))));

    /// <summary>This project and every project it references, directly or not.</summary>
    public IReadOnlyList<ProjectFile> Closure
    {
        get
        {
            var seen = new Dictionary<string, ProjectFile>();
            var pending = new Stack<ProjectFile>([this]);
            while (pending.TryPop(out var project))
            {
                if (seen.TryAdd(project.FullPath, project))
                {
                    foreach (var reference in project.References)
                    {
                        pending.Push(reference);
                    }
                }
            }

            return seen.Values.ToList();
        }
    }

    /// <summary>
    /// Repository folders (the part of each include before any wildcard) that items of this project take
    /// from outside its own directory: protos/ for generated code, data/mnist/ for shipped files.
    /// </summary>
    public IEnumerable<string> OutsideFolders(string repoRoot) =>
        _document.Descendants()
            .Where(e => e.Name.LocalName != "ProjectReference")
            .SelectMany(e => new[] { e.Attribute("Include")?.Value, e.Attribute("Update")?.Value })
            .OfType<string>()
            .Select(include => Path.GetRelativePath(repoRoot, Path.GetFullPath(Path.Combine(Directory, include.Replace('\\', '/')))))
            .Where(relative => !relative.StartsWith("..", StringComparison.Ordinal)
                && !relative.StartsWith(Path.GetRelativePath(repoRoot, Directory), StringComparison.Ordinal))
            .Select(relative => string.Join('/', relative.Split('/').SkipLast(1).TakeWhile(part => !part.Contains('*', StringComparison.Ordinal))))
            .Distinct();

    public static ProjectFile Load(string path) => new(path);
}
