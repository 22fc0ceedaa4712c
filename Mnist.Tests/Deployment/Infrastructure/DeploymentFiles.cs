namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>The repository's deployment files, loaded once.</summary>
internal static class DeploymentFiles
{
    public const string TrainerJob = "mnist-train";
    public const string InferenceDeployment = "mnist-inference";
    public const string HeadlessService = "mnist-grpc-headless";

    public static string K8s => Path.Combine(RepoPaths.Root, "k8s");

    public static Kustomization Install { get; } = Kustomization.Load(K8s);

    public static IReadOnlyList<KubeObject> Objects { get; } = Install.Objects;

    public static KubeObject Job => Single("Job", TrainerJob);

    public static KubeObject Deployment => Single("Deployment", InferenceDeployment);

    public static IEnumerable<KubeObject> Workloads => [Job, Deployment];

    public static Dockerfile TrainDockerfile { get; } = Dockerfile.Load(Path.Combine(RepoPaths.Root, "Dockerfile.train"));

    public static Dockerfile ServeDockerfile { get; } = Dockerfile.Load(Path.Combine(RepoPaths.Root, "Dockerfile.serve"));

    public static IEnumerable<Dockerfile> Dockerfiles => [TrainDockerfile, ServeDockerfile];

    public static KubeObject Single(string kind, string name) =>
        Objects.SingleOrDefault(o => o.Kind == kind && o.Name == name)
        ?? throw new AssertionException($"No {kind}/{name} in the manifests under k8s/.");

    public static IEnumerable<KubeObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    /// <summary>The project a Dockerfile's build stage publishes (`dotnet publish X/X.csproj ...`).</summary>
    public static ProjectFile PublishedProject(Dockerfile dockerfile)
    {
        var publish = dockerfile.Stages.SelectMany(s => s.All("RUN"))
            .Single(r => r.Arguments.Contains("dotnet publish", StringComparison.Ordinal));
        var csproj = publish.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Single(w => w.EndsWith(".csproj", StringComparison.Ordinal));
        return ProjectFile.Load(Path.Combine(RepoPaths.Root, csproj));
    }

    /// <summary>The Dockerfile whose image title label equals a kustomize image name.</summary>
    public static Dockerfile DockerfileForImage(string logicalImage) =>
        Dockerfiles.SingleOrDefault(d => d.Final.Pairs("LABEL").GetValueOrDefault("org.opencontainers.image.title") == logicalImage)
        ?? throw new AssertionException($"No Dockerfile has org.opencontainers.image.title=\"{logicalImage}\".");
}
