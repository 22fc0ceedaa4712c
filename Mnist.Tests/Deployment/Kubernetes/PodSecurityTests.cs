using Mnist.Tests.Deployment.Docker;
using Mnist.Tests.Deployment.Infrastructure;

namespace Mnist.Tests.Deployment.Kubernetes;

/// <summary>Both pods meet the "restricted" Pod Security Standard the namespace enforces.</summary>
[Category("Deployment")]
public class PodSecurityTests
{
    private static IEnumerable<TestCaseData> Workloads() =>
        [new TestCaseData(DeploymentFiles.TrainerJob), new TestCaseData(DeploymentFiles.InferenceDeployment)];

    private static KubeObject Workload(string name) => DeploymentFiles.Workloads.Single(w => w.Name == name);

    [TestCaseSource(nameof(Workloads))]
    public void Containers_RunAsTheImagesNonRootUser(string name)
    {
        var workload = Workload(name);
        var image = workload.Containers.Single().Text("image")!;
        var imageUid = DockerfileTests.UserId(DeploymentFiles.DockerfileForImage(image));

        foreach (var container in workload.Containers)
        {
            var runAsNonRoot = container.Text("securityContext.runAsNonRoot") ?? workload.PodSpec.Text("securityContext.runAsNonRoot");
            var runAsUser = container.Int("securityContext.runAsUser") ?? workload.PodSpec.Int("securityContext.runAsUser");
            Assert.That(runAsNonRoot, Is.EqualTo("true"), name);
            Assert.That(runAsUser, Is.Not.Null.And.Not.Zero.And.EqualTo(imageUid), name);
        }

        Assert.That(workload.PodSpec.Int("securityContext.fsGroup"), Is.EqualTo(imageUid), "the volume must be writable/readable by the user");
    }

    [TestCaseSource(nameof(Workloads))]
    public void Containers_AreLockedDown(string name)
    {
        var workload = Workload(name);
        Assert.That(workload.PodSpec.Text("securityContext.seccompProfile.type"), Is.EqualTo("RuntimeDefault"), name);
        Assert.That(workload.PodSpec.Text("automountServiceAccountToken"), Is.EqualTo("false"), "no pod here calls the API server");

        foreach (var container in workload.Containers)
        {
            Assert.That(container.Text("securityContext.allowPrivilegeEscalation"), Is.EqualTo("false"), name);
            Assert.That(container.Text("securityContext.readOnlyRootFilesystem"), Is.EqualTo("true"), name);
            Assert.That(container.Items("securityContext.capabilities.drop").Select(c => c.Text()), Is.EqualTo(new[] { "ALL" }), name);
            Assert.That(container.Items("securityContext.capabilities.add"), Is.Empty, name);

            var tmp = container.Items("volumeMounts").SingleOrDefault(m => m.Text("mountPath") == "/tmp");
            Assert.That(tmp, Is.Not.Null, $"{name} needs a writable /tmp");
            var volume = workload.PodSpec.Items("volumes").Single(v => v.Text("name") == tmp.Text("name"));
            Assert.That(volume.At("emptyDir"), Is.Not.Null, $"{name} /tmp should be an emptyDir");
        }
    }

    [Test]
    public void Namespace_EnforcesTheRestrictedStandard()
    {
        var labels = DeploymentFiles.Single("Namespace", "mnist").Labels;

        Assert.That(labels.GetValueOrDefault("pod-security.kubernetes.io/enforce"), Is.EqualTo("restricted"));
    }
}
