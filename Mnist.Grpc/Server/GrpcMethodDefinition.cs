using Google.Protobuf.Reflection;
using Mnist.Grpc.Server.CallHandlers;

namespace Mnist.Grpc.Server;

/// <summary>One bound method of a service: its descriptor, gRPC path and call shape.</summary>
public abstract class GrpcMethodDefinition
{
    private protected GrpcMethodDefinition(MethodDescriptor descriptor, GrpcMethodType type)
    {
        Descriptor = descriptor;
        Type = type;
        Path = $"/{descriptor.Service.FullName}/{descriptor.Name}";
    }

    /// <summary>The proto method.</summary>
    public MethodDescriptor Descriptor { get; }

    /// <summary>The HTTP/2 <c>:path</c>, e.g. <c>/mnist.v1.Mnist/Predict</c>.</summary>
    public string Path { get; }

    /// <summary>The call shape.</summary>
    public GrpcMethodType Type { get; }

    internal abstract ServerCallHandler CreateCallHandler(GrpcServerRuntime runtime);
}
