namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>
/// The two images' app folders, published once per test run by replaying each Dockerfile's build stage
/// (<see cref="DockerBuildReplay"/>) into one temporary folder, which <see cref="DeploymentRunCleanup"/> removes.
/// </summary>
internal static class PublishedImages
{
    private static readonly Lazy<string> s_root = new(() => Directory.CreateTempSubdirectory("mnist-images-").FullName);
    private static readonly Lazy<Task<string>> s_trainer = new(() => PublishAsync(DeploymentFiles.TrainDockerfile, "train"));
    private static readonly Lazy<Task<string>> s_server = new(() => PublishAsync(DeploymentFiles.ServeDockerfile, "serve"));

    /// <summary>What the mnist-train image holds in its WORKDIR.</summary>
    public static Task<string> TrainerAsync() => s_trainer.Value;

    /// <summary>What the mnist-serve image holds in its WORKDIR.</summary>
    public static Task<string> ServerAsync() => s_server.Value;

    /// <summary>The app folder for a kustomize image name (<c>mnist-train</c>, <c>mnist-serve</c>).</summary>
    public static Task<string> ForImageAsync(string logicalImage) =>
        DeploymentFiles.DockerfileForImage(logicalImage) == DeploymentFiles.TrainDockerfile ? TrainerAsync() : ServerAsync();

    internal static void DeleteAll()
    {
        if (s_root.IsValueCreated && Directory.Exists(s_root.Value))
        {
            Directory.Delete(s_root.Value, recursive: true);
        }
    }

    private static Task<string> PublishAsync(Dockerfile dockerfile, string name) =>
        DockerBuildReplay.PublishAsync(dockerfile, Directory.CreateDirectory(Path.Combine(s_root.Value, name)).FullName, TestContext.Progress);
}
