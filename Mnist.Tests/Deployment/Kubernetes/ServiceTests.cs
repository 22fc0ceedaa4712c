using Mnist.Tests.Deployment.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Mnist.Tests.Deployment.Kubernetes;

[Category("Deployment")]
public class ServiceTests
{
    private static YamlNode ServerContainer => DeploymentFiles.Deployment.Containers.Single();

    private static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(kv => labels.TryGetValue(kv.Key, out var value) && value == kv.Value);

    private static YamlNode ContainerPort(string targetPort) =>
        ServerContainer.Items("ports").SingleOrDefault(p => p.Text("name") == targetPort || p.Text("containerPort") == targetPort)
        ?? throw new AssertionException($"targetPort {targetPort} is no container port of the server");

    [Test]
    public void Services_SelectTheServerPods_AndTargetItsContainerPorts()
    {
        var services = DeploymentFiles.OfKind("Service").ToList();
        Assert.That(services.Select(s => s.Name), Is.EquivalentTo(new[] { "mnist-inference", DeploymentFiles.HeadlessService }));

        foreach (var service in services)
        {
            Assert.That(Selects(service.Root.StringMap("spec.selector"), DeploymentFiles.Deployment.PodLabels), Is.True, service.ToString());
            Assert.That(Selects(service.Root.StringMap("spec.selector"), DeploymentFiles.Job.PodLabels), Is.False, "the trainer is no endpoint");
            foreach (var port in service.Root.Items("spec.ports"))
            {
                var target = ContainerPort(port.Text("targetPort") ?? port.Text("port")!);
                Assert.That(target.Text("name"), Is.EqualTo(port.Text("name")), service.ToString());
            }
        }
    }

    [Test]
    public void GrpcServicePorts_DeclareH2c_AndTheHeadlessServiceHasNoClusterIp()
    {
        var grpcPorts = DeploymentFiles.OfKind("Service").SelectMany(s => s.Root.Items("spec.ports")).Where(p => p.Text("name") == "grpc").ToList();
        var headless = DeploymentFiles.Single("Service", DeploymentFiles.HeadlessService);

        Assert.That(grpcPorts, Has.Count.EqualTo(2));
        Assert.That(grpcPorts.Select(p => p.Text("appProtocol")), Is.All.EqualTo("kubernetes.io/h2c"));
        Assert.That(grpcPorts.Select(p => p.Int("port")), Is.All.EqualTo(ContainerPort("grpc").Int("containerPort")));
        Assert.That(headless.Root.Text("spec.clusterIP"), Is.EqualTo("None"));
        Assert.That(headless.Root.Text("spec.publishNotReadyAddresses") ?? "false", Is.EqualTo("false"));
    }

    [Test]
    public void Ingresses_RouteToExistingServicePorts_GrpcWithTheGrpcBackendOverTls()
    {
        var ingresses = DeploymentFiles.OfKind("Ingress").ToList();
        Assert.That(ingresses, Is.Not.Empty);

        foreach (var ingress in ingresses)
        {
            var backends = ingress.Root.Items("spec.rules").SelectMany(r => r.Items("http.paths")).Select(p => p.At("backend.service")).ToList();
            Assert.That(backends, Is.Not.Empty, ingress.ToString());
            foreach (var backend in backends)
            {
                var service = DeploymentFiles.Single("Service", backend.Text("name")!);
                var portName = backend.Text("port.name");
                Assert.That(service.Root.Items("spec.ports").Select(p => p.Text("name")), Does.Contain(portName), ingress.ToString());
                var grpcProtocol = ingress.Root.StringMap("metadata.annotations").GetValueOrDefault("nginx.ingress.kubernetes.io/backend-protocol");
                Assert.That(grpcProtocol == "GRPC", Is.EqualTo(portName == "grpc"), $"{ingress}: backend-protocol GRPC exactly for the grpc port");
                if (portName == "grpc")
                {
                    Assert.That(ingress.Root.Items("spec.tls"), Is.Not.Empty, "nginx serves HTTP/2 to clients only over TLS");
                }
            }
        }

        Assert.That(ingresses.SelectMany(i => i.Root.Items("spec.rules")).SelectMany(r => r.Items("http.paths"))
            .Select(p => p.Text("backend.service.port.name")), Is.SupersetOf(new[] { "grpc", "http" }));
    }

    [Test]
    public void AutoscalerAndDisruptionBudget_TargetTheServer()
    {
        var hpa = DeploymentFiles.Single("HorizontalPodAutoscaler", DeploymentFiles.InferenceDeployment);
        var pdb = DeploymentFiles.Single("PodDisruptionBudget", DeploymentFiles.InferenceDeployment);

        Assert.That((hpa.Root.Text("spec.scaleTargetRef.kind"), hpa.Root.Text("spec.scaleTargetRef.name")),
            Is.EqualTo(("Deployment", DeploymentFiles.InferenceDeployment)));
        Assert.That(hpa.Root.Items("spec.metrics").Select(m => m.Text("resource.name")), Does.Contain("cpu"));
        Assert.That(hpa.Root.Int("spec.minReplicas"), Is.EqualTo(DeploymentFiles.Deployment.Root.Int("spec.replicas")));
        Assert.That(hpa.Root.Int("spec.maxReplicas"), Is.GreaterThan(hpa.Root.Int("spec.minReplicas")));
        Assert.That(pdb.Root.Int("spec.minAvailable"), Is.EqualTo(1));
        Assert.That(Selects(pdb.Root.StringMap("spec.selector.matchLabels"), DeploymentFiles.Deployment.PodLabels), Is.True);
        Assert.That(DeploymentFiles.Deployment.Root.StringMap("spec.selector.matchLabels"),
            Is.SubsetOf(DeploymentFiles.Deployment.PodLabels));
    }

    [Test]
    public void NetworkPolicies_AdmitOnlyTheServerPorts_AndOnlyDnsOut()
    {
        var policies = DeploymentFiles.OfKind("NetworkPolicy").ToList();
        var serverPorts = ServerContainer.Items("ports").Select(p => p.Int("containerPort")).ToList();

        var denyAll = policies.Where(p => p.Root.StringMap("spec.podSelector").Count == 0 && p.Root.At("spec.ingress") is null
            && p.Root.At("spec.egress") is null && p.Root.Items("spec.policyTypes").Count() == 2);
        Assert.That(denyAll, Is.Not.Empty, "a default-deny policy for the namespace");

        var ingressPorts = policies.SelectMany(p => p.Root.Items("spec.ingress")).SelectMany(rule => rule.Items("ports")).ToList();
        Assert.That(ingressPorts.Select(p => p.Int("port")), Is.EquivalentTo(serverPorts));
        Assert.That(policies.Where(p => p.Root.At("spec.ingress") is not null)
            .All(p => Selects(p.Root.StringMap("spec.podSelector.matchLabels"), DeploymentFiles.Deployment.PodLabels)), Is.True);

        var egressPorts = policies.SelectMany(p => p.Root.Items("spec.egress")).SelectMany(rule => rule.Items("ports")).ToList();
        Assert.That(egressPorts.Select(p => p.Int("port")), Is.All.EqualTo(53));
    }

    [Test]
    public void Objects_CarryTheRecommendedLabels()
    {
        foreach (var obj in DeploymentFiles.Objects.Where(o => o.Kind != "Namespace"))
        {
            Assert.That(obj.Labels.GetValueOrDefault("app.kubernetes.io/name"), Is.EqualTo("mnist"), obj.ToString());
            Assert.That(obj.Labels.GetValueOrDefault("app.kubernetes.io/part-of"), Is.EqualTo("mnist"), obj.ToString());
        }

        foreach (var workload in DeploymentFiles.Workloads)
        {
            Assert.That(workload.PodLabels.GetValueOrDefault("app.kubernetes.io/component"),
                Is.EqualTo(workload.Labels["app.kubernetes.io/component"]).And.Not.Null, workload.ToString());
            Assert.That(workload.PodLabels.GetValueOrDefault("app.kubernetes.io/part-of"), Is.EqualTo("mnist"), workload.ToString());
        }
    }
}
