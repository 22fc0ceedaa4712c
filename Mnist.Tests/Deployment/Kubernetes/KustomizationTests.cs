using System.Diagnostics;
using System.Text;
using Mnist.Inference.Grpc.Access;
using Mnist.Tests.Deployment.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Mnist.Tests.Deployment.Kubernetes;

[Category("Deployment")]
public class KustomizationTests
{
    private static readonly string RwxOverlay = Path.Combine(DeploymentFiles.K8s, "overlays", "rwx");

    [TestCase("")]
    [TestCase("overlays/rwx")]
    [TestCase("overlays/secured")]
    public void Resources_EveryEntry_ExistsAndParses(string directory)
    {
        var queue = new Queue<Kustomization>([Kustomization.Load(Path.Combine(DeploymentFiles.K8s, directory))]);
        while (queue.TryDequeue(out var kustomization))
        {
            foreach (var resource in kustomization.ResourcePaths)
            {
                Assert.That(File.Exists(resource) || File.Exists(Path.Combine(resource, "kustomization.yaml")),
                    Is.True, $"{resource} (listed in {kustomization.Directory}) is neither a file nor a kustomization");
                if (File.Exists(resource))
                {
                    Assert.That(YamlNodeExtensions.LoadDocuments(resource), Is.Not.Empty, resource);
                }
            }

            foreach (var nested in kustomization.Bases)
            {
                queue.Enqueue(nested);
            }
        }
    }

    [Test]
    public void Manifests_EveryYamlFileInBase_IsListedAsAResource()
    {
        var listed = DeploymentFiles.Install.Bases.SelectMany(b => b.ResourcePaths).ToHashSet();
        var onDisk = Directory.EnumerateFiles(Path.Combine(DeploymentFiles.K8s, "base"), "*.yaml")
            .Where(f => Path.GetFileName(f) != "kustomization.yaml");

        Assert.That(onDisk, Is.SubsetOf(listed), "a manifest that kustomize never applies");
    }

    [Test]
    public void Objects_EveryOne_IsNamedAndInTheMnistNamespace()
    {
        Assert.That(DeploymentFiles.Objects, Has.Count.GreaterThanOrEqualTo(12));
        foreach (var obj in DeploymentFiles.Objects)
        {
            Assert.That(obj.Root.Text("apiVersion"), Is.Not.Null.And.Not.Empty, obj.ToString());
            Assert.That(obj.Name, Is.Not.Empty, obj.ToString());
            var expected = obj.Kind == "Namespace" ? null : "mnist";
            Assert.That(obj.Root.Text("metadata.namespace"), Is.EqualTo(expected), obj.ToString());
        }

        Assert.That(DeploymentFiles.Single("Namespace", "mnist"), Is.Not.Null);
        Assert.That(DeploymentFiles.Install.Bases.Single().Root.Text("namespace"), Is.EqualTo("mnist"));
    }

    [Test]
    public void RwxOverlay_Patch_TurnsTheModelClaimReadWriteMany()
    {
        var overlay = Kustomization.Load(RwxOverlay);
        var patchFile = Path.Combine(RwxOverlay, overlay.Root.Items("patches").Single().Text("path")!);
        var patch = YamlNodeExtensions.LoadDocuments(patchFile).Single();
        var claim = DeploymentFiles.Single("PersistentVolumeClaim", "mnist-models");

        Assert.That(overlay.Objects.Select(o => o.Name), Is.EquivalentTo(DeploymentFiles.Objects.Select(o => o.Name)));
        Assert.That(claim.Root.Items("spec.accessModes").Select(m => m.Text()), Is.EqualTo(new[] { "ReadWriteOnce" }));
        Assert.That((patch.Text("kind"), patch.Text("metadata.name")), Is.EqualTo(("PersistentVolumeClaim", claim.Name)));
        Assert.That(patch.Items("spec.accessModes").Select(m => m.Text()), Is.EqualTo(new[] { "ReadWriteMany" }));
    }

    [TestCase("", "ReadWriteOnce")]
    [TestCase("overlays/rwx", "ReadWriteMany")]
    public void KubectlKustomize_Render_SetsRegistryImagesAndAccessMode(string directory, string accessMode)
    {
        var rendered = Kubectl("kustomize", Path.Combine(DeploymentFiles.K8s, directory));

        foreach (var (logical, (newName, newTag)) in DeploymentFiles.Install.Images)
        {
            Assert.That(rendered, Does.Contain($"image: {newName}:{newTag}"), logical);
            Assert.That(rendered, Does.Not.Contain($"image: {logical}\n"), logical);
        }

        Assert.That(rendered, Does.Contain($"accessModes:\n  - {accessMode}\n"));
    }

    [Test]
    public void KubectlKustomize_SecuredOverlay_TurnsKeysAndTlsOnWithPlaintextProbesOnTheProbePort()
    {
        var rendered = Kubectl("kustomize", Path.Combine(DeploymentFiles.K8s, "overlays", "secured"));
        var deployment = YamlNodeExtensions.Parse(rendered).Single(d => d.Text("kind") == "Deployment" && d.Text("metadata.name") == DeploymentFiles.InferenceDeployment);
        var container = deployment.Items("spec.template.spec.containers").Single();
        var env = container.Items("env").ToDictionary(e => e.Text("name")!, e => e.Text("value"));

        Assert.That(env["API_KEYS_FILE"], Is.EqualTo("/etc/mnist/keys/api-keys"));
        Assert.That((env["TLS_CERT_FILE"], env["TLS_KEY_FILE"]), Is.EqualTo(("/etc/mnist/tls/tls.crt", "/etc/mnist/tls/tls.key")));
        Assert.That(new[] { "startupProbe", "readinessProbe", "livenessProbe" }.Select(p => container.Text($"{p}.grpc.port")),
            Is.All.EqualTo(env["GRPC_PROBE_PORT"]));
        Assert.That(rendered, Does.Contain("kind: Certificate").And.Contain("secretName: mnist-serve-tls"));
        Assert.That(rendered, Does.Contain("backend-protocol: GRPCS").And.Contain("backend-protocol: HTTPS"));
    }

    [Test]
    public void KubectlKustomize_Base_MountsTheApiKeysSecretAsTheFileApiKeysFileNames()
    {
        var rendered = YamlNodeExtensions.Parse(Kubectl("kustomize", DeploymentFiles.K8s));
        var container = InferenceContainer(rendered);
        var keysFile = container.Items("env").Single(e => e.Text("name") == "API_KEYS_FILE").Text("value")!;
        var mount = container.Items("volumeMounts").Single(m => keysFile.StartsWith(m.Text("mountPath") + "/", StringComparison.Ordinal));
        var volume = InferencePodSpec(rendered).Items("volumes").Single(v => v.Text("name") == mount.Text("name"));
        var secretName = volume.Text("secret.secretName");

        Assert.That(mount.Text("readOnly"), Is.EqualTo("true"));
        Assert.That(mount.Text("subPath"), Is.Null, "the kubelet never updates a subPath mount, so a rotated key would not arrive");
        Assert.That(volume.Text("secret.optional"), Is.EqualTo("false"), "a pod without its keys must not start open");
        // The generator's hash suffix would rename the Secret on every change and roll the pods instead of reloading.
        Assert.That(secretName, Is.EqualTo(ApiKeysSecret));
        var fileName = keysFile[(mount.Text("mountPath")!.Length + 1)..];
        var (keys, badLines) = ApiKeyFile.Parse(SecretFile(rendered, secretName!, fileName));
        Assert.That(badLines, Is.Empty, "the shipped keys file must parse");
        Assert.That(keys, Is.Empty, "the repository must ship no usable key: every call is refused until the operator supplies one");
    }

    [Test]
    public void KubectlKustomize_AnOperatorsOverlayReplacingTheKeys_KeepsTheSecretsNameAndMount()
    {
        // What k8s/README.md tells an operator to write: their own kustomization on top of k8s/, with their keys file.
        var overlay = Directory.CreateTempSubdirectory("mnist-keys-overlay-").FullName;
        try
        {
            var k8s = Path.GetRelativePath(overlay, DeploymentFiles.K8s);
            File.WriteAllText(Path.Combine(overlay, "kustomization.yaml"), $"""
                resources:
                  - {k8s}
                secretGenerator:
                  - name: {ApiKeysSecret}
                    behavior: replace
                    files:
                      - api-keys
                """);
            File.WriteAllText(Path.Combine(overlay, "api-keys"), "reporting-job:3b0c1d6f2e7a4c58a9d0e1f2a3b4c5d6\n");

            var rendered = YamlNodeExtensions.Parse(Kubectl("kustomize", overlay));
            var (keys, badLines) = ApiKeyFile.Parse(SecretFile(rendered, ApiKeysSecret, "api-keys"));

            Assert.That(badLines, Is.Empty);
            Assert.That(keys.Select(k => k.Name), Is.EqualTo(new[] { "reporting-job" }));
            Assert.That(rendered.Count(d => d.Text("kind") == "Secret"), Is.EqualTo(1), "replaced, not added beside the base's");
            Assert.That(InferencePodSpec(rendered).Items("volumes").Select(v => v.Text("secret.secretName")), Does.Contain(ApiKeysSecret));
        }
        finally
        {
            Directory.Delete(overlay, recursive: true);
        }
    }

    private const string ApiKeysSecret = "mnist-api-keys";

    private static YamlMappingNode InferenceDeployment(IEnumerable<YamlMappingNode> rendered) =>
        rendered.Single(d => d.Text("kind") == "Deployment" && d.Text("metadata.name") == DeploymentFiles.InferenceDeployment);

    private static YamlNode InferencePodSpec(IEnumerable<YamlMappingNode> rendered) => InferenceDeployment(rendered).At("spec.template.spec")!;

    private static YamlNode InferenceContainer(IEnumerable<YamlMappingNode> rendered) => InferencePodSpec(rendered).Items("containers").Single();

    /// <summary>One file of a rendered Secret, as the kubelet would write it into the volume.</summary>
    private static string SecretFile(IEnumerable<YamlMappingNode> rendered, string secret, string key)
    {
        var found = rendered.Single(d => d.Text("kind") == "Secret" && d.Text("metadata.name") == secret);
        return Encoding.UTF8.GetString(Convert.FromBase64String(found.Text($"data.{key}")!));
    }

    private static string Kubectl(params string[] arguments)
    {
        var info = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // CI installs it (scripts/deps.sh test), so there a missing kubectl is a failure, never a skip.
            const string Missing = "kubectl is not installed: run scripts/deps.sh test";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                Assert.Fail(Missing);
            }

            Assert.Ignore(Missing);
            throw;
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            Assert.That(process.WaitForExit(60_000), Is.True, "kubectl kustomize did not finish in 60 s");
            Assert.That(process.ExitCode, Is.Zero, error.Result);
            return output.Result;
        }
    }
}
