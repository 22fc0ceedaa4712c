using System.Net;
using System.Net.Sockets;

namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>
/// Container ports to host ports, like a port-forward: the same number when it is free on this machine
/// (other work may hold 50051 or 8080), else a free one.
/// </summary>
internal sealed class PortMap
{
    private readonly IReadOnlyDictionary<int, int> _ports;

    private PortMap(IReadOnlyDictionary<int, int> ports) => _ports = ports;

    public static PortMap Prefer(IEnumerable<int> containerPorts) =>
        new(containerPorts.Distinct().ToDictionary(port => port, port => IsFree(port) ? port : FreePort()));

    public int this[int containerPort] => _ports.TryGetValue(containerPort, out var host)
        ? host
        : throw new KeyNotFoundException($"Container port {containerPort} is not declared; declared: {string.Join(", ", _ports.Keys)}.");

    public bool IsIdentity => _ports.All(p => p.Key == p.Value);

    /// <summary>The port a value names, mapped; null when the value is not a declared container port.</summary>
    public string? MapValue(string value) =>
        int.TryParse(value, out var port) && _ports.TryGetValue(port, out var host) ? host.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;

    public override string ToString() => string.Join(", ", _ports.Select(p => p.Key == p.Value ? $"{p.Key}" : $"{p.Key}->{p.Value}"));

    private static bool IsFree(int port)
    {
        // Kestrel binds the wildcard address (dual-stack), so test that, not loopback.
        using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
        socket.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
