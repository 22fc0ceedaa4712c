namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>
/// The environment the .NET base images set before our Dockerfiles' own ENV (runtime-deps, inherited by
/// runtime and aspnet): the Dockerfiles must override what does not suit them, e.g. ASPNETCORE_HTTP_PORTS.
/// </summary>
internal static class BaseImageEnvironment
{
    private static readonly Dictionary<string, string> DotNet = new()
    {
        ["APP_UID"] = "1654",
        ["ASPNETCORE_HTTP_PORTS"] = "8080",
        ["DOTNET_RUNNING_IN_CONTAINER"] = "true",
    };

    public static IReadOnlyDictionary<string, string> For(string baseImage) =>
        baseImage.StartsWith("mcr.microsoft.com/dotnet/", StringComparison.Ordinal)
            ? DotNet
            : throw new NotSupportedException($"The environment of base image {baseImage} is not known; add it to {nameof(BaseImageEnvironment)}.");
}
