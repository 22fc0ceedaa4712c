using System.Diagnostics.CodeAnalysis;

namespace Mnist.Grpc.Server;

/// <summary>
/// Every service the server exposes (registered with <c>AddGrpcService</c>): the router maps their
/// methods, reflection lists them, REST transcoding enumerates <see cref="UnaryMethods"/>.
/// </summary>
public sealed class GrpcServiceRegistry
{
    private readonly Dictionary<string, GrpcServiceDefinition> _services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GrpcMethodDefinition> _methods = new(StringComparer.Ordinal);

    /// <summary>Creates the registry; two definitions of one service are a configuration error.</summary>
    public GrpcServiceRegistry(IEnumerable<GrpcServiceDefinition> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var service in services)
        {
            if (!_services.TryAdd(service.Name, service))
            {
                throw new InvalidOperationException($"The gRPC service {service.Name} is registered twice.");
            }

            foreach (var method in service.Methods)
            {
                _methods.Add(method.Path, method);
            }
        }

        Services = [.. _services.Values];
        UnaryMethods = [.. _methods.Values.OfType<GrpcUnaryMethod>()];
    }

    /// <summary>The services, in registration order.</summary>
    public IReadOnlyList<GrpcServiceDefinition> Services { get; }

    /// <summary>Every bound unary method, with its descriptor and an invoker.</summary>
    public IReadOnlyList<GrpcUnaryMethod> UnaryMethods { get; }

    /// <summary>Finds a bound method by gRPC path (<c>/package.Service/Method</c>).</summary>
    public bool TryGetMethod(string path, [NotNullWhen(true)] out GrpcMethodDefinition? method) => _methods.TryGetValue(path, out method);

    /// <summary>Finds a service by its fully-qualified name.</summary>
    public bool TryGetService(string name, [NotNullWhen(true)] out GrpcServiceDefinition? service) => _services.TryGetValue(name, out service);
}
