using Mnist.Tests.Deployment.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Mnist.Tests.Deployment.Kubernetes;

/// <summary>
/// k8s/overlays/kserve, read as KServe would: the InferenceService asks for the Open Inference Protocol (v2) and the
/// trainer's claim, and its runtime runs the server image with the one routed port being the server's HTTP port.
/// </summary>
[Category("Deployment")]
public class KServeOverlayTests
{
    private static readonly string Overlay = Path.Combine(DeploymentFiles.K8s, "overlays", "kserve");

    [Test]
    public void InferenceService_Predictor_V2FromTheModelClaimOnTheRuntime()
    {
        var service = Load("inferenceservice.yaml", "InferenceService");
        var model = service.At("spec.predictor.model");
        var claim = DeploymentFiles.Single("PersistentVolumeClaim", "mnist-models");

        Assert.That(service.Text("apiVersion"), Is.EqualTo("serving.kserve.io/v1beta1"));
        Assert.That(model.Text("protocolVersion"), Is.EqualTo("v2"));
        Assert.That(model.Text("storageUri"), Is.EqualTo($"pvc://{claim.Name}/"));
        Assert.That(model.Text("runtime"), Is.EqualTo(Load("servingruntime.yaml", "ServingRuntime").Text("metadata.name")));
    }

    [Test]
    public void ServingRuntime_Container_ServesTheImageOnItsHttpPortWithTheModelAtKServesMount()
    {
        var runtime = Load("servingruntime.yaml", "ServingRuntime");
        var container = runtime.Items("spec.containers").Single();
        var env = container.Items("env").ToDictionary(e => e.Text("name")!, e => e.Text("value"));
        var ports = container.Items("ports").Select(p => p.Int("containerPort")).ToArray();

        Assert.That(container.Text("name"), Is.EqualTo("kserve-container"));
        Assert.That(container.Text("image"), Is.EqualTo(DeploymentFiles.Deployment.Containers.First().Text("image")));
        Assert.That(ports, Is.EqualTo(new int?[] { int.Parse(env["HTTP_PORT"]!, System.Globalization.CultureInfo.InvariantCulture) }));
        Assert.That(env["MODEL_DIR"], Is.EqualTo("/mnt/models"));
        Assert.That(runtime.Items("spec.protocolVersions").Select(v => v.Text()), Does.Contain("v2"));
        Assert.That(container.Text("readinessProbe.httpGet.path"), Is.EqualTo("/v2/health/ready"));
        Assert.That(container.Text("securityContext.runAsNonRoot"), Is.EqualTo("true"));
    }

    [Test]
    public void ServingRuntime_Container_ReadsTheBaseApiKeysSecretAsApiKeysFile()
    {
        var runtime = Load("servingruntime.yaml", "ServingRuntime");
        var container = runtime.Items("spec.containers").Single();
        var keysFile = container.Items("env").Single(e => e.Text("name") == "API_KEYS_FILE").Text("value")!;
        var mount = container.Items("volumeMounts").Single(m => keysFile.StartsWith(m.Text("mountPath") + "/", StringComparison.Ordinal));
        var volume = runtime.Items("spec.volumes").Single(v => v.Text("name") == mount.Text("name"));
        var baseVolume = DeploymentFiles.Deployment.PodSpec.Items("volumes").Single(v => v.Text("secret.secretName") is not null);

        Assert.That(keysFile, Is.EqualTo(DeploymentFiles.Deployment.Containers.First().Items("env").Single(e => e.Text("name") == "API_KEYS_FILE").Text("value")));
        Assert.That(volume.Text("secret.secretName"), Is.EqualTo(baseVolume.Text("secret.secretName")));
        Assert.That(mount.Text("readOnly"), Is.EqualTo("true"));
    }

    [Test]
    public void Kustomization_Resources_ExistAndIncludeTheBase()
    {
        var kustomization = Kustomization.Load(Overlay);

        Assert.That(kustomization.ResourcePaths.Where(p => !File.Exists(p) && !File.Exists(Path.Combine(p, "kustomization.yaml"))), Is.Empty);
        Assert.That(kustomization.Bases, Has.Count.EqualTo(1));
    }

    private static YamlMappingNode Load(string file, string kind) =>
        YamlNodeExtensions.LoadDocuments(Path.Combine(Overlay, file)).Single(d => d.Text("kind") == kind);
}
