using System.Globalization;
using Mnist.Tests.Deployment.Infrastructure;

namespace Mnist.Tests.Deployment.Docker;

[Category("Deployment")]
public class DockerfileTests
{
    private const string Sdk = "mcr.microsoft.com/dotnet/sdk";

    private static IEnumerable<TestCaseData> Files() => [new TestCaseData("Dockerfile.train"), new TestCaseData("Dockerfile.serve")];

    private static Dockerfile Load(string name) => DeploymentFiles.Dockerfiles.Single(d => Path.GetFileName(d.Path) == name);

    private static DockerStage BuildStage(Dockerfile dockerfile) =>
        dockerfile.Stages.Single(s => s.IndexOfRun("dotnet publish") >= 0);

    internal static int UserId(Dockerfile dockerfile)
    {
        var user = dockerfile.Final.All("USER").Last().Arguments.Split(':')[0];
        Assert.That(int.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out var uid), Is.True,
            $"USER {user} must be numeric so kubelet can verify runAsNonRoot");
        return uid;
    }

    [TestCaseSource(nameof(Files))]
    public void BuildStage_RunsOnTheBuildPlatform_AndPublishesFrameworkDependentForTheTarget(string name)
    {
        var build = BuildStage(Load(name));
        var publish = build.Instructions[build.IndexOfRun("dotnet publish")].Arguments;
        var restore = build.Instructions[build.IndexOfRun("dotnet restore")].Arguments;

        Assert.That(build.BaseImage, Does.StartWith(Sdk + ":"));
        Assert.That(build.Platform, Is.EqualTo("$BUILDPLATFORM"));
        Assert.That(build.All("ARG").Select(a => a.Arguments), Does.Contain("TARGETARCH"));
        Assert.That(publish, Does.Contain("-a $TARGETARCH").And.Contain("--no-self-contained").And.Contain("-c Release"));
        Assert.That(restore, Does.Contain("-a $TARGETARCH"), "publish --no-restore needs the same runtime identifier restored");
    }

    [TestCaseSource(nameof(Files))]
    public void BuildStage_StopsAtOnceForAPlatformTorchSharpDoesNotShip(string name)
    {
        // TorchSharp-cpu has no linux-arm64 libtorch: an arm64 image would build and then fail at its first tensor.
        var build = BuildStage(Load(name));
        var guard = build.IndexOfRun("\"$TARGETARCH\" = amd64");

        Assert.That(guard, Is.GreaterThanOrEqualTo(0).And.LessThan(build.IndexOfRun("dotnet restore")), $"{name}: the amd64 check comes first");
        Assert.That(build.Instructions[guard].Arguments, Does.Contain("exit 1"));
    }

    [TestCaseSource(nameof(Files))]
    public void Restore_RunsOnProjectFilesAlone_SoItsLayerIsCached(string name)
    {
        var build = BuildStage(Load(name));
        var restore = build.IndexOfRun("dotnet restore");
        var before = build.ContextCopies.Where(c => c.Index < restore).SelectMany(c => c.Sources).ToList();
        var after = build.ContextCopies.Where(c => c.Index > restore).SelectMany(c => c.Sources).ToList();

        Assert.That(restore, Is.GreaterThan(0));
        Assert.That(before, Is.All.Matches<string>(s => s.EndsWith(".csproj", StringComparison.Ordinal)
            || s.EndsWith(".props", StringComparison.Ordinal) || s == ".editorconfig"));
        Assert.That(after, Is.Not.Empty);
        Assert.That(restore, Is.LessThan(build.IndexOfRun("dotnet publish")));
    }

    [TestCaseSource(nameof(Files))]
    public void BaseImages_AreBuildArguments_DefaultingToTheOfficialImages(string name)
    {
        // scripts/e2e-containers.sh builds against local stand-ins through these arguments; a plain
        // `docker buildx build` must still get Microsoft's images.
        var dockerfile = Load(name);

        foreach (var stage in new[] { BuildStage(dockerfile), dockerfile.Final })
        {
            Assert.That(stage.BaseImageReference, Does.Match(@"^\$\{[A-Z_]+\}$"), $"{name}: FROM {stage.BaseImageReference}");
            Assert.That(stage.BaseImage, Does.StartWith("mcr.microsoft.com/dotnet/"), $"{name}: default of {stage.BaseImageReference}");
        }
    }

    [TestCaseSource(nameof(Files))]
    public void FinalStage_IsTheMatchingDotnetRuntime_AndHoldsOnlyThePublishOutput(string name)
    {
        var dockerfile = Load(name);
        var project = DeploymentFiles.PublishedProject(dockerfile);
        var runtime = project.Sdk == "Microsoft.NET.Sdk.Web" ? "aspnet" : "runtime";

        Assert.That(dockerfile.Final.BaseImage, Does.Not.StartWith(Sdk));
        Assert.That(dockerfile.Final.BaseImage, Does.StartWith($"mcr.microsoft.com/dotnet/{runtime}:10.0"));
        Assert.That(dockerfile.Final.ContextCopies, Is.Empty, "no sources in the final image");
        var copies = dockerfile.Final.All("COPY").Select(c => c.Split()).ToList();
        Assert.That(copies, Has.Count.EqualTo(1));
        Assert.That(copies[0].Flags["from"], Is.EqualTo(BuildStage(dockerfile).Name));
        Assert.That(copies[0].Words[0], Is.EqualTo(BuildStage(dockerfile).Instructions[BuildStage(dockerfile).IndexOfRun("dotnet publish")]
            .Arguments.Split(' ').SkipWhile(w => w != "-o").Skip(1).First()), "copies the publish output directory");
    }

    [TestCaseSource(nameof(Files))]
    public void FinalStage_RunsTheAssemblyAsANumericNonRootUser(string name)
    {
        var dockerfile = Load(name);
        var entrypoint = dockerfile.Final.All("ENTRYPOINT").Single().ExecForm;

        Assert.That(UserId(dockerfile), Is.GreaterThan(0));
        Assert.That(entrypoint, Is.EqualTo(new[] { "dotnet", DeploymentFiles.PublishedProject(dockerfile).AssemblyName + ".dll" }));
        Assert.That(dockerfile.Final.All("WORKDIR").Last().Arguments, Is.EqualTo("/app"));
    }

    [TestCaseSource(nameof(Files))]
    public void FinalStage_CarriesOciLabels_AndDefaultsTheModelAndDataDirectories(string name)
    {
        var final = Load(name).Final;
        var labels = final.Pairs("LABEL");
        var env = final.Pairs("ENV");

        foreach (var key in new[] { "title", "description", "version", "revision", "base.name" })
        {
            Assert.That(labels.GetValueOrDefault("org.opencontainers.image." + key), Is.Not.Null.And.Not.Empty, key);
        }

        Assert.That(labels["org.opencontainers.image.base.name"], Is.EqualTo(final.BaseImageReference), "names the base actually used");
        Assert.That(env.GetValueOrDefault("MODEL_DIR"), Is.EqualTo(ServerDefaults.Get("MODEL_DIR").Value));
        Assert.That(env.GetValueOrDefault("DATA_DIR"), Is.EqualTo(final.All("WORKDIR").Last().Arguments + "/data/mnist"));
    }

    [Test]
    public void ServeImage_IsChiseled_AndItsPodNeedsNoShell()
    {
        var final = DeploymentFiles.ServeDockerfile.Final;
        var container = DeploymentFiles.Deployment.Containers.Single();

        Assert.That(final.BaseImage, Does.EndWith("-chiseled"), "no shell, no package manager in the serving image");
        Assert.That(final.All("RUN"), Is.Empty, "a chiseled base has no shell to run it with");
        foreach (var handler in new[] { "startupProbe", "readinessProbe", "livenessProbe", "lifecycle.preStop", "lifecycle.postStart" })
        {
            Assert.That(container.At(handler + ".exec"), Is.Null, $"{handler}: an exec handler needs a binary the image lacks");
        }

        Assert.That(container.At("startupProbe.grpc"), Is.Not.Null);
        Assert.That(container.At("lifecycle.preStop.sleep"), Is.Not.Null);
    }

    [Test]
    public void TrainImage_TunesGlibcMalloc_AsTheRunScriptDoesForTraining_ServeImageDoesNot()
    {
        var runScript = File.ReadAllText(Path.Combine(RepoPaths.Root, "scripts", "run.sh"));
        var tuned = System.Text.RegularExpressions.Regex.Match(runScript, @"GLIBC_TUNABLES=""\$\{GLIBC_TUNABLES:-([^}]+)\}""").Groups[1].Value;

        Assert.That(tuned, Does.Contain("glibc.malloc.mmap_threshold="), "scripts/run.sh tunes the trainer");
        Assert.That(DeploymentFiles.TrainDockerfile.Final.Pairs("ENV").GetValueOrDefault("GLIBC_TUNABLES"), Is.EqualTo(tuned));
        Assert.That(DeploymentFiles.ServeDockerfile.Final.Pairs("ENV").ContainsKey("GLIBC_TUNABLES"), Is.False,
            "the server measured no gain from it, and more RSS");
    }

    [Test]
    public void ServeImage_ExposesAndDefaultsTheServerPorts()
    {
        var final = DeploymentFiles.ServeDockerfile.Final;
        var exposed = final.All("EXPOSE").SelectMany(e => e.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var grpc = ServerDefaults.Get("GRPC_PORT");
        var http = ServerDefaults.Get("HTTP_PORT");

        Assert.That(exposed, Is.EquivalentTo(new[] { grpc.Value, http.Value }), $"{grpc.Source}");
        Assert.That(final.Pairs("ENV").GetValueOrDefault("GRPC_PORT"), Is.EqualTo(grpc.Value), grpc.Source);
        Assert.That(final.Pairs("ENV").GetValueOrDefault("HTTP_PORT"), Is.EqualTo(http.Value), http.Source);
        Assert.That(DeploymentFiles.TrainDockerfile.Final.All("EXPOSE"), Is.Empty, "the trainer serves nothing");
    }

    [TestCaseSource(nameof(Files))]
    public void DockerIgnore_KeepsEveryFileTheBuildCopies(string name)
    {
        var dockerfile = Load(name);
        var ignore = DockerIgnore.Load(Path.Combine(RepoPaths.Root, ".dockerignore"));
        var root = RepoPaths.Root;

        foreach (var source in BuildStage(dockerfile).ContextCopies.SelectMany(c => c.Sources))
        {
            var path = Path.Combine(root, source);
            var files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f))
                    .Where(f => !f.Split('/').Intersect(["bin", "obj"]).Any())
                : [source];
            Assert.That(files, Is.Not.Empty, $"{name}: COPY {source} copies nothing");
            Assert.That(files.Where(ignore.Excludes), Is.Empty, $"{name}: .dockerignore drops files COPY {source} needs");
        }

        Assert.That(ignore.Excludes("Mnist.Model/bin/Release/net10.0/Mnist.Model.dll"), Is.True, "host build output must stay out");
        Assert.That(ignore.Excludes("Mnist.Model/obj/project.assets.json"), Is.True, "host restore output must stay out");
    }
}
