using YamlDotNet.RepresentationModel;

namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>
/// The process a container runtime starts for an image or a pod's container, mapped onto this machine:
/// argv as Kubernetes computes it (<c>command</c> replaces ENTRYPOINT, <c>args</c> replaces CMD), the
/// environment in the runtime's order (base image ENV, the Dockerfile's ENV, the container's <c>env</c>),
/// and container paths and ports replaced through a <see cref="HostMapping"/>. Nothing else is inherited.
/// </summary>
internal sealed record ContainerLaunch(
    string Executable, IReadOnlyList<string> Arguments, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary><c>docker run image</c>: ENTRYPOINT + CMD and the image's environment.</summary>
    public static ContainerLaunch FromImage(Dockerfile image, HostMapping host) =>
        Resolve(image, command: null, args: null, containerEnv: [], host);

    /// <summary>A pod's container, its image found through the kustomize name (<c>image: mnist-serve</c>).</summary>
    public static ContainerLaunch FromContainer(YamlNode container, HostMapping host)
    {
        var image = DeploymentFiles.DockerfileForImage(container.Text("image")!);
        var command = container.At("command") is YamlSequenceNode c ? c.Select(n => n.Text()!).ToList() : null;
        var args = container.At("args") is YamlSequenceNode a ? a.Select(n => n.Text()!).ToList() : null;
        var env = container.Items("env").Select(e => (e.Text("name")!, EnvValue(container, e))).ToList();
        return Resolve(image, command, args, env, host);
    }

    /// <summary>The image's EXPOSE ports.</summary>
    public static IEnumerable<int> ExposedPorts(Dockerfile image) =>
        image.Final.All("EXPOSE").SelectMany(e => e.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(p => int.Parse(p.Split('/')[0]));

    /// <summary>The container's <c>ports[].containerPort</c>.</summary>
    public static IEnumerable<int> ContainerPorts(YamlNode container) => container.Items("ports").Select(p => p.Int("containerPort")!.Value);

    /// <summary>Sets <c>--name value</c>: replaces the value if the option is there, else appends it.</summary>
    public ContainerLaunch WithOption(string name, string value)
    {
        var arguments = Arguments.ToList();
        var index = arguments.IndexOf(name);
        if (index >= 0 && index + 1 < arguments.Count)
        {
            arguments[index + 1] = value;
        }
        else
        {
            arguments.AddRange([name, value]);
        }

        return this with { Arguments = arguments };
    }

    public override string ToString() =>
        $"cd {WorkingDirectory} && env -i {string.Join(' ', Environment.Select(e => $"{e.Key}={e.Value}"))} {Executable} {string.Join(' ', Arguments)}";

    private static ContainerLaunch Resolve(
        Dockerfile image, IReadOnlyList<string>? command, IReadOnlyList<string>? args, IReadOnlyList<(string Name, string Value)> containerEnv, HostMapping host)
    {
        var entrypoint = image.Final.All("ENTRYPOINT").LastOrDefault()?.ExecForm ?? [];
        var cmd = image.Final.All("CMD").LastOrDefault()?.ExecForm ?? [];
        // Kubernetes: command replaces ENTRYPOINT and drops CMD; args replaces CMD.
        var argv = (command ?? entrypoint).Concat(args ?? (command is null ? cmd : [])).ToList();
        var workdir = image.Final.All("WORKDIR").Last().Arguments;

        var environment = new Dictionary<string, string>
        {
            ["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
            ["HOME"] = host.Home,
        };
        var layers = BaseImageEnvironment.For(image.Final.BaseImage).Concat(image.Final.Pairs("ENV"))
            .Select(kv => (kv.Key, kv.Value)).Concat(containerEnv);
        foreach (var (name, value) in layers)
        {
            environment[name] = host.Ports.MapValue(value) ?? host.MapPath(value, workdir);
        }

        Assert.That(argv, Is.Not.Empty, $"{image.Path}: no ENTRYPOINT and no command");
        return new ContainerLaunch(
            OnPath(argv[0]),
            argv.Skip(1).Select(a => host.MapPath(a, workdir)).ToList(),
            host.MapPath(workdir, workdir),
            environment);
    }

    private static string EnvValue(YamlNode container, YamlNode entry)
    {
        if (entry.Text("value") is { } value)
        {
            return value;
        }

        var field = entry.At("valueFrom.resourceFieldRef")
            ?? throw new NotSupportedException($"env {entry.Text("name")}: only value and valueFrom.resourceFieldRef are played here.");
        var resource = field.Text("resource")!.Split('.');
        var quantity = container.Text($"resources.{resource[0]}.{resource[1]}")
            ?? throw new AssertionException($"env {entry.Text("name")} refers to {field.Text("resource")}, which the container does not set.");
        return ResourceQuantity.Expose(quantity, field.Text("divisor"));
    }

    private static string OnPath(string program) =>
        program.Contains('/', StringComparison.Ordinal)
            ? program
            : (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
                .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists)
              ?? throw new FileNotFoundException($"{program} is not on PATH");
}
