using Mnist.Tests.Deployment.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Mnist.Tests.Deployment.Kubernetes;

[Category("Deployment")]
public class WorkloadTests
{
    private static YamlNode Container(KubeObject workload) => workload.Containers.Single();

    private static string? Env(KubeObject workload, string name) =>
        Container(workload).Items("env").SingleOrDefault(e => e.Text("name") == name).Text("value");

    private static YamlNode ModelMount(KubeObject workload)
    {
        var volume = workload.PodSpec.Items("volumes").Single(v => v.At("persistentVolumeClaim") is not null);
        return Container(workload).Items("volumeMounts").Single(m => m.Text("name") == volume.Text("name"));
    }

    private static string ClaimName(KubeObject workload) =>
        workload.PodSpec.Items("volumes").Single(v => v.At("persistentVolumeClaim") is not null)
            .Text("persistentVolumeClaim.claimName")!;

    [Test]
    public void JobAndDeployment_ShareTheModelClaimAndDirectory()
    {
        var job = DeploymentFiles.Job;
        var deployment = DeploymentFiles.Deployment;

        Assert.That(ClaimName(job), Is.EqualTo(ClaimName(deployment)));
        Assert.That(DeploymentFiles.Single("PersistentVolumeClaim", ClaimName(job)), Is.Not.Null);
        Assert.That(Env(job, "MODEL_DIR"), Is.EqualTo(Env(deployment, "MODEL_DIR")).And.Not.Null);
        Assert.That(ModelMount(job).Text("mountPath"), Is.EqualTo(Env(job, "MODEL_DIR")));
        Assert.That(ModelMount(deployment).Text("mountPath"), Is.EqualTo(Env(deployment, "MODEL_DIR")));
    }

    [Test]
    public void ModelMount_ReadOnlyForTheServer_WritableForTheTrainer()
    {
        Assert.That(ModelMount(DeploymentFiles.Deployment).Text("readOnly"), Is.EqualTo("true"));
        Assert.That(ModelMount(DeploymentFiles.Job).Text("readOnly"), Is.Null.Or.EqualTo("false"));
    }

    [Test]
    public void Probes_UseNativeGrpcOnTheGrpcContainerPort_WithARegisteredService()
    {
        var container = Container(DeploymentFiles.Deployment);
        var ports = container.Items("ports").Select(p => p.Int("containerPort")).ToList();
        var grpcPort = container.Items("ports").Single(p => p.Text("name") == "grpc").Int("containerPort");

        foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
        {
            var grpc = container.At(probe + ".grpc");
            Assert.That(grpc, Is.Not.Null, $"{probe} must be a native grpc probe");
            Assert.That(grpc.Int("port"), Is.EqualTo(grpcPort).And.AnyOf(ports.Cast<object>().ToArray()), probe);
            Assert.That(grpc.Text("service") ?? "", Is.AnyOf("", ServerDefaults.ServiceName), probe);
            Assert.That(container.Int(probe + ".timeoutSeconds"), Is.GreaterThanOrEqualTo(1), probe);
        }

        Assert.That(container.Text("readinessProbe.grpc.service"), Is.EqualTo(ServerDefaults.ServiceName));
        Assert.That(container.Text("livenessProbe.grpc.service") ?? "", Is.Empty);
    }

    [Test]
    public void StartupProbe_WaitsMinutesForTheTrainerAndDeploymentProgressOutlastsIt()
    {
        var container = Container(DeploymentFiles.Deployment);
        var budget = container.Int("startupProbe.periodSeconds") * container.Int("startupProbe.failureThreshold");

        Assert.That(budget, Is.GreaterThanOrEqualTo(600), "seconds the server may wait for its first model");
        Assert.That(DeploymentFiles.Deployment.Root.Int("spec.progressDeadlineSeconds"), Is.GreaterThan(budget));
        Assert.That(DeploymentFiles.Job.Root.Int("spec.activeDeadlineSeconds"), Is.Not.Null);
    }

    [Test]
    public void TerminationGrace_CoversPreStopSleepAndServerDrain()
    {
        var grace = DeploymentFiles.Deployment.PodSpec.Int("terminationGracePeriodSeconds");
        var preStop = Container(DeploymentFiles.Deployment).At("lifecycle.preStop");
        var sleep = preStop.Int("sleep.seconds")
            ?? int.Parse(preStop.Items("exec.command").Last().Text()!, System.Globalization.CultureInfo.InvariantCulture);

        Assert.That(sleep, Is.InRange(3, 15), "long enough for endpoint removal to reach kube-proxy and the ingress");
        Assert.That(grace, Is.GreaterThanOrEqualTo(sleep + ServerDefaults.DrainSeconds));
    }

    [Test]
    public void Containers_EachSetCpuAndMemoryRequestsAndLimits()
    {
        foreach (var workload in DeploymentFiles.Workloads)
        {
            foreach (var container in workload.Containers)
            {
                foreach (var path in new[] { "requests.cpu", "requests.memory", "limits.cpu", "limits.memory" })
                {
                    Assert.That(container.Text("resources." + path), Is.Not.Null.And.Not.Empty, $"{workload} {path}");
                }
            }
        }
    }

    [Test]
    public void Workloads_RunOnAmd64NodesOnly()
    {
        // The images hold libtorch for linux-x64 only; on an arm64 node they would fail with "exec format error".
        foreach (var workload in DeploymentFiles.Workloads)
        {
            var selector = workload.PodSpec.At("nodeSelector") as YamlMappingNode;
            var arch = selector?.Children.FirstOrDefault(c => c.Key.Text() == "kubernetes.io/arch").Value.Text();
            Assert.That(arch, Is.EqualTo("amd64"), workload.ToString());
        }
    }

    [Test]
    public void Job_BoundsRetriesRuntimeAndLifetime()
    {
        var spec = DeploymentFiles.Job.Root.At("spec");

        Assert.That(spec.Int("backoffLimit"), Is.InRange(0, 6));
        Assert.That(spec.Int("activeDeadlineSeconds"), Is.GreaterThan(0));
        Assert.That(spec.Int("ttlSecondsAfterFinished"), Is.GreaterThan(0));
        Assert.That(DeploymentFiles.Job.PodSpec.Text("restartPolicy"), Is.EqualTo("Never"));
    }

    [Test]
    public void Deployment_RollsOutWithoutLosingCapacity()
    {
        var spec = DeploymentFiles.Deployment.Root.At("spec");

        Assert.That(spec.Int("replicas"), Is.GreaterThanOrEqualTo(2));
        Assert.That(spec.Text("strategy.rollingUpdate.maxUnavailable"), Is.EqualTo("0"));
        Assert.That(spec.Text("strategy.rollingUpdate.maxSurge"), Is.EqualTo("1"));
        Assert.That(DeploymentFiles.Deployment.PodSpec.Items("topologySpreadConstraints")
            .Concat(DeploymentFiles.Deployment.PodSpec.Items("affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution")),
            Is.Not.Empty, "replicas should prefer different nodes");
    }

    [Test]
    public void ServerEnvironment_MatchesItsContainerPortsAndTheServerDefaults()
    {
        var container = Container(DeploymentFiles.Deployment);
        int? Port(string name) => container.Items("ports").Single(p => p.Text("name") == name).Int("containerPort");

        Assert.That(Env(DeploymentFiles.Deployment, "GRPC_PORT"), Is.EqualTo(Port("grpc").ToString()));
        Assert.That(Env(DeploymentFiles.Deployment, "HTTP_PORT"), Is.EqualTo(Port("http").ToString()));
        foreach (var variable in ServerDefaults.Variables)
        {
            var (value, source) = ServerDefaults.Get(variable);
            Assert.That(Env(DeploymentFiles.Deployment, variable), Is.EqualTo(value), $"{variable} vs {source}");
        }
    }
}
