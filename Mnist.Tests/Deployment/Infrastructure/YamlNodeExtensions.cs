using YamlDotNet.RepresentationModel;

namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>Null-tolerant navigation over YamlDotNet's representation model.</summary>
internal static class YamlNodeExtensions
{
    public static YamlNode? Get(this YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>Follows a dotted path of mapping keys, e.g. "spec.template.spec".</summary>
    public static YamlNode? At(this YamlNode? node, string path)
    {
        foreach (var key in path.Split('.'))
        {
            node = node.Get(key);
        }

        return node;
    }

    public static string? Text(this YamlNode? node) => (node as YamlScalarNode)?.Value;

    public static string? Text(this YamlNode? node, string path) => node.At(path).Text();

    public static int? Int(this YamlNode? node, string path) =>
        int.TryParse(node.Text(path), out var value) ? value : null;

    public static IEnumerable<YamlNode> Items(this YamlNode? node) =>
        node is YamlSequenceNode sequence ? sequence.Children : [];

    public static IEnumerable<YamlNode> Items(this YamlNode? node, string path) => node.At(path).Items();

    /// <summary>A mapping of scalars (labels, selectors) as a dictionary; empty when absent.</summary>
    public static IReadOnlyDictionary<string, string> StringMap(this YamlNode? node, string path) =>
        node.At(path) is YamlMappingNode map
            ? map.Children.ToDictionary(kv => kv.Key.Text() ?? "", kv => kv.Value.Text() ?? "")
            : new Dictionary<string, string>();

    /// <summary>Every mapping document in a (possibly multi-document) YAML file.</summary>
    public static IReadOnlyList<YamlMappingNode> LoadDocuments(string path)
    {
        using var reader = new StreamReader(path);
        return Parse(reader);
    }

    /// <summary>Every mapping document in YAML text (e.g. what kubectl kustomize renders).</summary>
    public static IReadOnlyList<YamlMappingNode> Parse(string yaml)
    {
        using var reader = new StringReader(yaml);
        return Parse(reader);
    }

    private static List<YamlMappingNode> Parse(TextReader reader)
    {
        var stream = new YamlStream();
        stream.Load(reader);
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToList();
    }
}
