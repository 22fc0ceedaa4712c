using Mnist.Inference.Grpc.Hosting;
using Mnist.Inference.Grpc.Observability;
using Mnist.Tests.Deployment.Infrastructure;

namespace Mnist.Tests.Deployment.Kubernetes;

/// <summary>The k8s manifests point Prometheus at the port and path the server really serves its metrics on.</summary>
[Category("Deployment")]
public class ScrapeManifestTests
{
    [Test]
    public void Deployment_PodTemplate_CarriesTheScrapeAnnotationsOfTheHttpPort()
    {
        var annotations = DeploymentFiles.Deployment.Root.StringMap("spec.template.metadata.annotations");
        var httpPort = DeploymentFiles.Deployment.Containers.Single().Items("ports").Single(p => p.Text("name") == "http").Text("containerPort");

        Assert.That(annotations.GetValueOrDefault("prometheus.io/scrape"), Is.EqualTo("true"));
        Assert.That(annotations.GetValueOrDefault("prometheus.io/port"), Is.EqualTo(httpPort).And.EqualTo(PortOptions.DefaultHttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(annotations.GetValueOrDefault("prometheus.io/path"), Is.EqualTo(TelemetryHostingExtensions.MetricsPath));
    }

    [Test]
    public void MonitoringOverlay_ServiceMonitor_SelectsTheInferenceServiceByItsHttpPort()
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
        Assert.That(scraped, Is.EqualTo(new[] { DeploymentFiles.InferenceDeployment }), "exactly one Service (so each pod is scraped once), the one with the http port");
    }
}
