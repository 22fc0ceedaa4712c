using System.Net;
using System.Text.Json;
using Grpc.Health.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Mnist.Model.Weights;
using Mnist.Tests.Deployment.Infrastructure;

namespace Mnist.Tests.Deployment;

/// <summary>
/// The images' contents run the way the images run them: each Dockerfile's build stage replayed here
/// (same COPY list and .dockerignore, same restore and publish commands, TARGETARCH = this machine), then
/// the ENTRYPOINT started in the WORKDIR with only the base image's and the Dockerfile's environment.
/// Host differences: MODEL_DIR's folder is a temporary one, ports move only if 50051/8080 are taken, and
/// the process runs as the test's user, not 1654.
/// </summary>
[NonParallelizable]
public class PublishedOutputTests
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(6);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    private string _scratch = null!;

    [SetUp]
    public void CreateScratch() => _scratch = Directory.CreateTempSubdirectory("mnist-published-").FullName;

    [TearDown]
    public void DeleteScratch() => Directory.Delete(_scratch, recursive: true);

    [Test]
    public async Task PublishedTrainer_ImageEntrypointAndEnvironment_WritesModelFromShippedData()
    {
        var image = DeploymentFiles.TrainDockerfile;
        var app = await PublishedImages.TrainerAsync().WaitAsync(PublishTimeout);
        var models = Directory.CreateDirectory(Path.Combine(_scratch, "models")).FullName;
        var launch = ContainerLaunch.FromImage(image, Mapping(image, app, models, PortMap.Prefer([])))
            .WithOption("--limit", "640");

        await using var trainer = ChildProcess.Start(launch, "trainer");
        var exited = await trainer.WaitForExitAsync(RunTimeout);

        Assert.That(exited, Is.True, $"the trainer did not finish in {RunTimeout}\n{trainer}");
        Assert.That(trainer.ExitCode, Is.Zero, trainer.ToString());
        Assert.That(trainer.Output, Does.Contain($"Training on 640 images from {Path.Combine(app, "data", "mnist")}"),
            "DATA_DIR must point at the data the publish output ships");
        var weights = File.ReadAllBytes(Path.Combine(models, "model.dat"));
        using var info = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(models, "model.json")));
        Assert.That(info.RootElement.GetProperty("model_version").GetString(), Is.EqualTo(ModelVersion.Compute(weights)));
        Assert.That(info.RootElement.GetProperty("training_images").GetInt32(), Is.EqualTo(640));
    }

    [Test]
    public async Task PublishedServer_ImageEntrypointAndEnvironment_ServesGrpcAndRest()
    {
        var image = DeploymentFiles.ServeDockerfile;
        var app = await PublishedImages.ServerAsync().WaitAsync(PublishTimeout);
        var models = Directory.CreateDirectory(Path.Combine(_scratch, "models")).FullName;
        TestModel.WriteTo(models);
        var ports = PortMap.Prefer(ContainerLaunch.ExposedPorts(image));
        var launch = ContainerLaunch.FromImage(image, Mapping(image, app, models, ports));
        TestContext.Progress.WriteLine($"published server, ports {ports}: {launch}");

        await using var server = ChildProcess.Start(launch, "server");
        var grpcPort = ports[int.Parse(image.Final.Pairs("ENV")["GRPC_PORT"])];
        var httpPort = ports[int.Parse(image.Final.Pairs("ENV")["HTTP_PORT"])];
        var status = await WaitForServingAsync(server, grpcPort);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(10) };
        using var healthz = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
        using var sample = await http.GetAsync(new Uri("/v1/test-samples/7", UriKind.Relative));
        using var grpc = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var health = await new V1.Mnist.MnistClient(grpc).HealthAsync(new V1.HealthRequest(), deadline: DateTime.UtcNow.AddSeconds(10));

        Assert.That(status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.Serving), server.ToString());
        Assert.That(healthz.StatusCode, Is.EqualTo(HttpStatusCode.OK), server.ToString());
        Assert.That(sample.StatusCode, Is.EqualTo(HttpStatusCode.OK), "DATA_DIR must point at the t10k files the publish output ships\n" + server);
        Assert.That(health.ModelVersion, Is.EqualTo(TestModel.Version));
        Assert.That(server.Output, Does.Not.Contain("Overriding address"),
            "the base image's ASPNETCORE_HTTP_PORTS must be cleared by the Dockerfile");
        Assert.That(server.HasExited, Is.False, server.ToString());
    }

    private HostMapping Mapping(Dockerfile image, string app, string models, PortMap ports) =>
        new(app, new Dictionary<string, string> { [image.Final.Pairs("ENV")["MODEL_DIR"]] = models }, ports,
            Directory.CreateDirectory(Path.Combine(_scratch, "home")).FullName);

    private static async Task<HealthCheckResponse.Types.ServingStatus> WaitForServingAsync(ChildProcess server, int grpcPort)
    {
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var health = new Health.HealthClient(channel);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var last = "not probed";
        while (DateTime.UtcNow < deadline && !server.HasExited)
        {
            try
            {
                var response = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                if (response.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return response.Status;
                }

                last = response.Status.ToString();
            }
            catch (RpcException error)
            {
                last = error.Message;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"the published server never reported SERVING (last: {last})\n{server}");
        return default;
    }
}
