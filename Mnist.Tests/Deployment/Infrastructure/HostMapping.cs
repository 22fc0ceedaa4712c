namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>
/// Where a container's world lives on this machine: the image's WORKDIR (the published app), volume mount
/// paths (a temporary folder stands for the PersistentVolumeClaim), ports, and a home folder.
/// </summary>
/// <param name="AppDirectory">The published app: stands for the image's WORKDIR.</param>
/// <param name="Volumes">Container mount path to host folder.</param>
/// <param name="Ports">Container port to host port.</param>
/// <param name="Home">HOME (the image's user home; the root filesystem is read-only in the pod anyway).</param>
internal sealed record HostMapping(string AppDirectory, IReadOnlyDictionary<string, string> Volumes, PortMap Ports, string Home)
{
    /// <summary>A container path (or a value that starts with one) on this machine; other values unchanged.</summary>
    public string MapPath(string value, string workdir)
    {
        foreach (var (container, host) in Volumes.Append(new(workdir, AppDirectory)))
        {
            if (value == container || value.StartsWith(container.TrimEnd('/') + "/", StringComparison.Ordinal))
            {
                return host + value[container.TrimEnd('/').Length..];
            }
        }

        return value;
    }
}
