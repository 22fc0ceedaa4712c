using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Mnist.Grpc.Server;

/// <summary>
/// A service built from its proto <see cref="ServiceDescriptor"/> with handlers bound by method name.
/// Binding checks, at start-up, that the method exists, has the bound call shape and that the
/// generic message types are the descriptor's input and output types. Unbound methods answer UNIMPLEMENTED.
/// </summary>
public sealed class GrpcServiceDefinition
{
    private readonly Dictionary<string, GrpcMethodDefinition> _methods = new(StringComparer.Ordinal);

    private GrpcServiceDefinition(ServiceDescriptor descriptor) => Descriptor = descriptor;

    /// <summary>The proto service.</summary>
    public ServiceDescriptor Descriptor { get; }

    /// <summary>The fully-qualified name, e.g. <c>mnist.v1.Mnist</c>.</summary>
    public string Name => Descriptor.FullName;

    /// <summary>The bound methods.</summary>
    public IReadOnlyCollection<GrpcMethodDefinition> Methods => _methods.Values;

    /// <summary>Starts a definition for <paramref name="descriptor"/>, e.g. <c>MnistReflection.Descriptor.Services[0]</c>.</summary>
    public static GrpcServiceDefinition For(ServiceDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return new GrpcServiceDefinition(descriptor);
    }

    /// <summary>Binds a unary method.</summary>
    public GrpcServiceDefinition Unary<TRequest, TResponse>(string methodName, Func<TRequest, GrpcCallContext, Task<TResponse>> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(handler);
        var method = Resolve<TRequest, TResponse>(methodName, GrpcMethodType.Unary);
        return Add(new UnaryMethod<TRequest, TResponse>(method, handler));
    }

    /// <summary>Binds a server-streaming method.</summary>
    public GrpcServiceDefinition ServerStreaming<TRequest, TResponse>(
        string methodName, Func<TRequest, IServerStreamWriter<TResponse>, GrpcCallContext, Task> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(handler);
        var method = Resolve<TRequest, TResponse>(methodName, GrpcMethodType.ServerStreaming);
        return Add(new ServerStreamingMethod<TRequest, TResponse>(method, handler));
    }

    /// <summary>Binds a bidirectional-streaming method.</summary>
    public GrpcServiceDefinition DuplexStreaming<TRequest, TResponse>(
        string methodName, Func<IAsyncStreamReader<TRequest>, IServerStreamWriter<TResponse>, GrpcCallContext, Task> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(handler);
        var method = Resolve<TRequest, TResponse>(methodName, GrpcMethodType.DuplexStreaming);
        return Add(new DuplexStreamingMethod<TRequest, TResponse>(method, handler));
    }

    private GrpcServiceDefinition Add(GrpcMethodDefinition method)
    {
        if (!_methods.TryAdd(method.Descriptor.Name, method))
        {
            throw new InvalidOperationException($"{method.Path} is already bound.");
        }

        return this;
    }

    private MethodDescriptor Resolve<TRequest, TResponse>(string methodName, GrpcMethodType type)
    {
        ArgumentException.ThrowIfNullOrEmpty(methodName);
        var method = Descriptor.FindMethodByName(methodName)
            ?? throw new ArgumentException($"{Name} has no method '{methodName}'; it has: {string.Join(", ", Descriptor.Methods.Select(m => m.Name))}.", nameof(methodName));
        var actual = ShapeOf(method);
        if (actual != type)
        {
            throw new ArgumentException($"{Name}.{methodName} is {Describe(actual)}, not {Describe(type)}.", nameof(methodName));
        }

        CheckType(method, "request", method.InputType, typeof(TRequest));
        CheckType(method, "response", method.OutputType, typeof(TResponse));
        return method;
    }

    private static void CheckType(MethodDescriptor method, string role, MessageDescriptor expected, Type actual)
    {
        if (expected.ClrType != actual)
        {
            throw new ArgumentException($"{method.FullName} takes {expected.FullName} ({expected.ClrType?.Name}) as its {role}, not {actual.Name}.");
        }
    }

    private static GrpcMethodType? ShapeOf(MethodDescriptor method) => (method.IsClientStreaming, method.IsServerStreaming) switch
    {
        (false, false) => GrpcMethodType.Unary,
        (false, true) => GrpcMethodType.ServerStreaming,
        (true, true) => GrpcMethodType.DuplexStreaming,
        _ => null,
    };

    private static string Describe(GrpcMethodType? type) => type switch
    {
        GrpcMethodType.Unary => "unary",
        GrpcMethodType.ServerStreaming => "server-streaming",
        GrpcMethodType.DuplexStreaming => "bidirectional-streaming",
        _ => "client-streaming (not supported)",
    };
}
