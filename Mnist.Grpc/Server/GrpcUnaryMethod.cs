using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Mnist.Grpc.Server;

/// <summary>
/// A bound unary method, callable without HTTP/2 framing: REST transcoding invokes the same handler
/// through <see cref="InvokeAsync"/>.
/// </summary>
public abstract class GrpcUnaryMethod : GrpcMethodDefinition
{
    private protected GrpcUnaryMethod(MethodDescriptor descriptor)
        : base(descriptor, GrpcMethodType.Unary)
    {
    }

    /// <summary>
    /// Calls the handler. <paramref name="request"/> must be of the method's input type; failures
    /// surface as <see cref="Wire.GrpcStatusException"/> (or whatever the handler threw).
    /// </summary>
    public abstract Task<IMessage> InvokeAsync(IMessage request, GrpcCallContext context);
}
