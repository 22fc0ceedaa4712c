using System.Diagnostics;
using Mnist.Tests.Deployment.Infrastructure;

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
