using YamlDotNet.RepresentationModel;

namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>One Kubernetes object from a manifest file.</summary>
internal sealed record KubeObject(string File, YamlMappingNode Root)
{
    public string Kind => Root.Text("kind") ?? "";

    public string Name => Root.Text("metadata.name") ?? "";

    public IReadOnlyDictionary<string, string> Labels => Root.StringMap("metadata.labels");

    /// <summary>The pod spec of a workload (Deployment, Job), or null for other kinds.</summary>
    public YamlNode? PodSpec => Root.At("spec.template.spec");

    public IReadOnlyDictionary<string, string> PodLabels => Root.StringMap("spec.template.metadata.labels");

    public IEnumerable<YamlNode> Containers => PodSpec.Items("containers").Concat(PodSpec.Items("initContainers"));

    public override string ToString() => $"{Kind}/{Name} ({Path.GetFileName(File)})";
}
