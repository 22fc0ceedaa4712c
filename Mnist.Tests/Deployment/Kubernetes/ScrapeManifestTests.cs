using Mnist.Inference.Grpc.Observability;
using Mnist.Tests.Deployment.Infrastructure;

namespace Mnist.Tests.Deployment.Kubernetes;

/// <summary>The k8s manifests point Prometheus at the port and path the server really serves its metrics on.</summary>
[Category("Deployment")]
public class ScrapeManifestTests
{
    [Test]
    public void Deployment_PodTemplate_CarriesTheScrapeAnnotationsOfTheMetricsPort()
    {
        var annotations = DeploymentFiles.Deployment.Root.StringMap("spec.template.metadata.annotations");
        var container = DeploymentFiles.Deployment.Containers.Single();
        var metricsPort = container.Items("ports").Single(p => p.Text("name") == "metrics").Text("containerPort");
        var configured = container.Items("env").Single(e => e.Text("name") == "METRICS_PORT").Text("value");

        Assert.That(annotations.GetValueOrDefault("prometheus.io/scrape"), Is.EqualTo("true"));
        Assert.That(annotations.GetValueOrDefault("prometheus.io/port"), Is.EqualTo(metricsPort).And.EqualTo(configured)
            .And.EqualTo(new TelemetryOptions().MetricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(annotations.GetValueOrDefault("prometheus.io/path"), Is.EqualTo(TelemetryHostingExtensions.MetricsPath));
    }

    [Test]
    public void MonitoringOverlay_ServiceMonitor_SelectsTheInferenceServiceByItsMetricsPort()
    {
        var overlay = Kustomization.Load(Path.Combine(DeploymentFiles.K8s, "overlays", "monitoring"));
        var monitor = overlay.Objects.Single(o => o.Kind == "ServiceMonitor");
        var selector = monitor.Root.StringMap("spec.selector.matchLabels");
        var endpoint = monitor.Root.Items("spec.endpoints").Single();
        var scraped = overlay.Objects.Where(o => o.Kind == "Service" && selector.All(l => o.Labels.GetValueOrDefault(l.Key) == l.Value))
            .Where(s => s.Root.Items("spec.ports").Any(p => p.Text("name") == endpoint.Text("port")))
            .Select(s => s.Name);

        Assert.That(monitor.Root.Text("apiVersion"), Is.EqualTo("monitoring.coreos.com/v1"));
        Assert.That(monitor.Root.Text("metadata.namespace"), Is.EqualTo("mnist"));
        Assert.That(endpoint.Text("path"), Is.EqualTo(TelemetryHostingExtensions.MetricsPath));
        Assert.That(scraped, Is.EqualTo(new[] { DeploymentFiles.InferenceDeployment }), "exactly one Service (so each pod is scraped once), the one with the metrics port");
        Assert.That(endpoint.Text("port"), Is.EqualTo("metrics"));
    }

    [Test]
    public void WebIngress_Paths_RouteNeitherMetricsNorSwagger()
    {
        var paths = DeploymentFiles.Single("Ingress", "mnist-web").Root.Items("spec.rules").SelectMany(r => r.Items("http.paths"))
            .Select(p => (Path: p.Text("path")!, Type: p.Text("pathType")!)).ToList();

        Assert.That(paths, Has.None.Matches<(string Path, string Type)>(p => p.Type == "Prefix" && p.Path == "/"));
        Assert.That(paths.Select(p => p.Path), Has.None.StartsWith("/metrics").And.None.StartsWith("/swagger"));
        Assert.That(paths.Select(p => p.Path), Is.SupersetOf(new[] { "/", "/v1", "/v2", "/predict", "/healthz" }));
    }

    [Test]
    public void NetworkPolicy_MetricsPort_AdmitsOnlyTheMonitoringNamespace()
    {
        var rules = DeploymentFiles.Single("NetworkPolicy", "mnist-inference-ingress").Root.Items("spec.ingress").ToList();
        var metrics = rules.Where(r => r.Items("ports").Any(p => p.Text("port") == "9090")).ToList();

        Assert.That(metrics, Has.Count.EqualTo(1));
        Assert.That(metrics[0].Items("ports").Select(p => p.Text("port")), Is.EqualTo(new[] { "9090" }));
        Assert.That(metrics[0].Items("from").Select(f => f.StringMap("namespaceSelector.matchLabels").GetValueOrDefault("kubernetes.io/metadata.name")),
            Is.EqualTo(new[] { "monitoring" }));
        Assert.That(rules, Has.All.Matches<YamlDotNet.RepresentationModel.YamlNode>(r => r.Items("from").Any()), "every rule names who it admits");
    }
}
