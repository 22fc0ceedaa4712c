using System.Reflection;
using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Client;

/// <summary>Client settings.</summary>
public sealed class GrpcClientOptions
{
    /// <summary>The largest response message accepted, in bytes; default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxReceiveMessageSize;

    /// <summary>The <c>user-agent</c> header; default <c>mnist-dotnet/&lt;version&gt;</c>.</summary>
    public string UserAgent { get; set; } = DefaultUserAgent;

    /// <summary>The default user agent, from this assembly's version.</summary>
    public static string DefaultUserAgent { get; } =
        "mnist-dotnet/" + (typeof(GrpcClientOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");
}
