using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Mnist.Grpc.Client;

/// <summary>A method as the client calls it: gRPC path and response parser, checked against the descriptor once.</summary>
public sealed class GrpcMethod<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    /// <summary>Looks up <paramref name="methodName"/> on <paramref name="service"/> and checks the message types.</summary>
    public GrpcMethod(ServiceDescriptor service, string methodName)
    {
        ArgumentNullException.ThrowIfNull(service);
        var method = service.FindMethodByName(methodName)
            ?? throw new ArgumentException($"{service.FullName} has no method '{methodName}'.", nameof(methodName));
        if (method.InputType.ClrType != typeof(TRequest) || method.OutputType.ClrType != typeof(TResponse))
        {
            throw new ArgumentException(
                $"{method.FullName} maps {method.InputType.FullName} to {method.OutputType.FullName}, not {typeof(TRequest).Name} to {typeof(TResponse).Name}.",
                nameof(methodName));
        }

        Descriptor = method;
        Path = $"/{method.Service.FullName}/{method.Name}";
        ResponseParser = method.OutputType.Parser;
    }

    /// <summary>The proto method.</summary>
    public MethodDescriptor Descriptor { get; }

    /// <summary>The HTTP/2 path, e.g. <c>/mnist.v1.Mnist/Predict</c>.</summary>
    public string Path { get; }

    internal MessageParser ResponseParser { get; }
}
