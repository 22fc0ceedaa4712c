using System.Xml.Linq;

namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>What a Dockerfile needs to know about a csproj: its SDK and assembly name.</summary>
internal sealed class ProjectFile
{
    private readonly XDocument _document;

    private ProjectFile(string path)
    {
        FullPath = Path.GetFullPath(path);
        _document = XDocument.Load(FullPath);
    }

    public string FullPath { get; }

    public string Sdk => _document.Root?.Attribute("Sdk")?.Value ?? "";

    /// <summary>AssemblyName when set, else the project file's name: what `dotnet X.dll` must name.</summary>
    public string AssemblyName =>
        _document.Descendants("AssemblyName").Select(e => e.Value.Trim()).FirstOrDefault()
        ?? Path.GetFileNameWithoutExtension(FullPath);

    public static ProjectFile Load(string path) => new(path);
}
