using System.Text.RegularExpressions;
using Mnist.Tests.Deployment.Infrastructure;

namespace Mnist.Tests.Deployment.Docker;

[Category("Deployment")]
public partial class ImageTests
{
    [TestCase(DeploymentFiles.TrainerJob, "Mnist.Training")]
    [TestCase(DeploymentFiles.InferenceDeployment, "Mnist.Inference.Grpc")]
    public void Workload_RunsTheImageItsDockerfileBuilds(string workload, string assembly)
    {
        var image = DeploymentFiles.Workloads.Single(w => w.Name == workload).Containers.Single().Text("image")!;

        Assert.That(DeploymentFiles.Install.Images.Keys, Does.Contain(image), "the logical name kustomize maps to a registry");
        var dockerfile = DeploymentFiles.DockerfileForImage(image);
        Assert.That(DeploymentFiles.PublishedProject(dockerfile).AssemblyName, Is.EqualTo(assembly));
    }

    [Test]
    public void KustomizeImages_NameOneDockerfileEach_WithAValidRegistryReference()
    {
        var images = DeploymentFiles.Install.Images;

        Assert.That(images.Keys.Select(k => Path.GetFileName(DeploymentFiles.DockerfileForImage(k).Path)),
            Is.EquivalentTo(new[] { "Dockerfile.train", "Dockerfile.serve" }));
        foreach (var (logical, (newName, newTag)) in images)
        {
            Assert.That(newName, Does.Match(ReferencePattern()), "registry paths must be lowercase");
            Assert.That(newName, Does.EndWith("/" + logical), "the registry repository is named after the image");
            Assert.That(newTag, Does.Match("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"));
        }
    }

    [GeneratedRegex("^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)+$")]
    private static partial Regex ReferencePattern();
}
