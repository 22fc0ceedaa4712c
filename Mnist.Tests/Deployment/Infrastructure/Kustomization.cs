using YamlDotNet.RepresentationModel;

namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>
/// A kustomization directory read the way kustomize reads it: resources (files or directories with their
/// own kustomization.yaml, followed recursively), images and patches.
/// </summary>
internal sealed class Kustomization
{
    private Kustomization(string directory, YamlMappingNode root, IReadOnlyList<Kustomization> bases)
    {
        Directory = directory;
        Root = root;
        Bases = bases;
    }

    public string Directory { get; }

    public YamlMappingNode Root { get; }

    public IReadOnlyList<Kustomization> Bases { get; }

    /// <summary>Resource entries as written, resolved against this directory.</summary>
    public IEnumerable<string> ResourcePaths =>
        Root.Items("resources").Select(r => Path.GetFullPath(Path.Combine(Directory, r.Text() ?? "")));

    /// <summary>Every object of this kustomization and its bases, before transformations.</summary>
    public IReadOnlyList<KubeObject> Objects =>
        Bases.SelectMany(b => b.Objects)
            .Concat(ResourcePaths.Where(File.Exists)
                .SelectMany(f => YamlNodeExtensions.LoadDocuments(f).Select(d => new KubeObject(f, d))))
            .ToList();

    /// <summary>images: entries (logical name -> registry name and tag), from this level and its bases.</summary>
    public IReadOnlyDictionary<string, (string NewName, string NewTag)> Images =>
        Bases.SelectMany(b => b.Images.Select(kv => (kv.Key, kv.Value)))
            .Concat(Root.Items("images").Select(i =>
                (i.Text("name") ?? "", (i.Text("newName") ?? i.Text("name") ?? "", i.Text("newTag") ?? "latest"))))
            .ToDictionary(x => x.Item1, x => x.Item2);

    public static Kustomization Load(string directory)
    {
        var file = Path.Combine(directory, "kustomization.yaml");
        var root = YamlNodeExtensions.LoadDocuments(file).Single();
        var bases = root.Items("resources")
            .Select(r => Path.GetFullPath(Path.Combine(directory, r.Text() ?? "")))
            .Where(System.IO.Directory.Exists)
            .Select(Load)
            .ToList();
        return new Kustomization(directory, root, bases);
    }
}
