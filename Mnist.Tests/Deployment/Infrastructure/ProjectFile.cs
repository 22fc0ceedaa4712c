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

    public static ProjectFile Load(string path) => new(path);
}
