using System.Globalization;
using System.Text.Json;
using Grpc.Net.Client;
using YamlDotNet.RepresentationModel;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>
/// The cluster played on one machine from the manifests themselves: a temporary folder is the model
/// PersistentVolumeClaim; the trainer runs with the Job container's args and env, the server with the
/// Deployment container's, both from the published images' contents (<see cref="PublishedImages"/>) as
/// separate processes; probes run as the kubelet runs them (<see cref="KubeletGrpcProbe"/>).
/// Test-speed deviations: the trainer gets <c>--limit 3000</c> (MNIST_E2E_LIMIT; "none" runs the Job as
/// written), probe periods and the preStop sleep are scaled by 0.1 (MNIST_E2E_PERIOD_SCALE), and ports
/// move only if 50051/8080 are taken on this machine.
/// </summary>
internal sealed class PlayedCluster : IAsyncDisposable
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(6);

    private readonly List<ChildProcess> _processes = [];
    private readonly string _scratch;
    private readonly string _volume;
    private readonly YamlNode _serverContainer;
    private readonly PortMap _ports;
    private ContainerLaunch _trainerLaunch = null!;
    private ChildProcess _server = null!;

    private PlayedCluster()
    {
        _scratch = Directory.CreateTempSubdirectory("mnist-cluster-").FullName;
        _volume = Directory.CreateDirectory(Path.Combine(_scratch, "pvc")).FullName;
        _serverContainer = DeploymentFiles.Deployment.Containers.Single();
        _ports = PortMap.Prefer(ContainerLaunch.ContainerPorts(_serverContainer));
    }

    public static double PeriodScale => double.TryParse(Environment.GetEnvironmentVariable("MNIST_E2E_PERIOD_SCALE"),
        NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) ? scale : 0.1;

    /// <summary>The Deployment's container as written in k8s/base.</summary>
    public YamlNode ServerContainer => _serverContainer;

    /// <summary>The server process (the pod's container).</summary>
    public ChildProcess Server => _server;

    /// <summary>The host ports of the container's grpc and http ports.</summary>
    public int GrpcPort => _ports[ContainerPort(_serverContainer, "grpc")];

    public int HttpPort => _ports[ContainerPort(_serverContainer, "http")];

    public GrpcChannel Grpc { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The kubelet's readiness and liveness probes, running since the pod became ready.</summary>
    public ProbeLoop Readiness { get; private set; } = null!;

    public ProbeLoop Liveness { get; private set; } = null!;

    /// <summary>model.json's model_version after the first training.</summary>
    public string FirstVersion { get; private set; } = null!;

    /// <summary>How many startup probes ran before the pod was started (the first model arrived).</summary>
    public int StartupProbes { get; private set; }

    private static string TrainingLimit => Environment.GetEnvironmentVariable("MNIST_E2E_LIMIT") is { Length: > 0 } limit ? limit : "3000";

    private string ModelJson => Path.Combine(_volume, "model.json");

    /// <summary>
    /// <c>kubectl apply -k k8s/</c>: starts the server and the trainer together on an empty volume, probes the
    /// server's startup as the kubelet does while the trainer runs, then waits for readiness.
    /// </summary>
    public static async Task<PlayedCluster> ApplyAsync()
    {
        var cluster = new PlayedCluster();
        try
        {
            await cluster.StartAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs the Job again (a new Job object with <c>--seed</c> changed); returns the new model_version.</summary>
    public Task<string> RetrainAsync(string seed) => RunTrainerAsync(_trainerLaunch.WithOption("--seed", seed));

    public async ValueTask DisposeAsync()
    {
        foreach (var loop in new[] { Readiness, Liveness }.OfType<ProbeLoop>())
        {
            await loop.DisposeAsync();
        }

        Grpc?.Dispose();
        Http?.Dispose();
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        Directory.Delete(_scratch, recursive: true);
    }

    public static void Say(string line) => TestContext.Progress.WriteLine($"e2e {DateTime.Now:HH:mm:ss.fff} {line}");

    private async Task StartAsync()
    {
        var trainerContainer = DeploymentFiles.Job.Containers.Single();
        var serverApp = await PublishedImages.ForImageAsync(_serverContainer.Text("image")!).WaitAsync(PublishTimeout);
        var trainerApp = await PublishedImages.ForImageAsync(trainerContainer.Text("image")!).WaitAsync(PublishTimeout);

        var serverLaunch = ContainerLaunch.FromContainer(_serverContainer, Mapping(DeploymentFiles.Deployment, _serverContainer, serverApp, _ports));
        _trainerLaunch = ContainerLaunch.FromContainer(trainerContainer, Mapping(DeploymentFiles.Job, trainerContainer, trainerApp, PortMap.Prefer([])));
        if (TrainingLimit != "none")
        {
            _trainerLaunch = _trainerLaunch.WithOption("--limit", TrainingLimit);
        }

        Say($"PVC {_volume}, ports {_ports}, probe periods x{PeriodScale}");
        Say($"Deployment: {serverLaunch}");
        Say($"Job: {_trainerLaunch}");

        // kubectl apply -k: the Deployment and the Job start together on an empty volume.
        _server = Start(serverLaunch, "server");
        var startup = KubeletGrpcProbe.From(_serverContainer, "startupProbe", PeriodScale);
        var startupProbing = ProbeStartupAsync(startup);
        var version = await RunTrainerAsync(_trainerLaunch);
        var startupResults = await startupProbing;

        Assert.That(startupResults.Where(r => !r.ModelOnVolume).Select(r => r.Result.Success), Is.All.False,
            "the startup probe must fail while the volume has no model");
        Assert.That(startupResults.Select(r => r.Result.Detail), Has.Some.EqualTo(nameof(ServingStatus.NotServing)),
            "the server must be up and NOT_SERVING while it waits for the trainer\n" + _server);
        var readiness = KubeletGrpcProbe.From(_serverContainer, "readinessProbe", PeriodScale);
        await readiness.UntilSuccessAsync(_ports, attempts: 30, () => _server.ToString());
        Say($"ready: {startupResults.Count} startup probes, model_version {version}");

        FirstVersion = version;
        StartupProbes = startupResults.Count;
        Readiness = new ProbeLoop(readiness, _ports);
        Liveness = new ProbeLoop(KubeletGrpcProbe.From(_serverContainer, "livenessProbe", PeriodScale), _ports);
        Grpc = GrpcChannel.ForAddress($"http://127.0.0.1:{GrpcPort}");
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    private static int ContainerPort(YamlNode container, string name) =>
        container.Items("ports").Single(p => p.Text("name") == name).Int("containerPort")!.Value;

    /// <summary>The container's PVC mounts point at the shared temporary volume; the image's WORKDIR at the app.</summary>
    private HostMapping Mapping(KubeObject workload, YamlNode container, string app, PortMap ports)
    {
        var claims = workload.PodSpec.Items("volumes").Where(v => v.At("persistentVolumeClaim") is not null).Select(v => v.Text("name")).ToHashSet();
        var volumes = container.Items("volumeMounts").Where(m => claims.Contains(m.Text("name")))
            .ToDictionary(m => m.Text("mountPath")!, _ => _volume);
        Assert.That(volumes, Is.Not.Empty, $"{workload} mounts no PersistentVolumeClaim");
        return new HostMapping(app, volumes, ports, Directory.CreateDirectory(Path.Combine(_scratch, "home-" + workload.Name)).FullName);
    }

    private ChildProcess Start(ContainerLaunch launch, string name)
    {
        var process = ChildProcess.Start(launch, name);
        _processes.Add(process);
        return process;
    }

    /// <summary>Runs the Job's container to completion; returns model.json's model_version.</summary>
    private async Task<string> RunTrainerAsync(ContainerLaunch launch)
    {
        var deadline = TimeSpan.FromSeconds(Math.Min(DeploymentFiles.Job.Root.Int("spec.activeDeadlineSeconds") ?? 3600, 300));
        var trainer = Start(launch, "trainer");
        var finished = await trainer.WaitForExitAsync(deadline);

        Assert.That(finished, Is.True, $"the trainer ran past {deadline}\n{trainer}");
        Assert.That(trainer.ExitCode, Is.Zero, trainer.ToString());
        using var info = JsonDocument.Parse(File.ReadAllBytes(ModelJson));
        var version = info.RootElement.GetProperty("model_version").GetString()!;
        Say($"trainer exited 0: test_accuracy {info.RootElement.GetProperty("test_accuracy").GetDouble():P2}, model_version {version}");
        return version;
    }

    private async Task<IReadOnlyList<(ProbeResult Result, bool ModelOnVolume)>> ProbeStartupAsync(KubeletGrpcProbe startup)
    {
        var observed = new List<(ProbeResult, bool)>();
        await startup.UntilSuccessAsync(_ports, startup.FailureThreshold, () => _server.ToString(),
            result => observed.Add((result, File.Exists(Path.Combine(_volume, "model.dat")))));
        return observed;
    }

}
