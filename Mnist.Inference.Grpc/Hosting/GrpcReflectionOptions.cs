namespace Mnist.Inference.Grpc.Hosting;

/// <summary>gRPC server reflection (grpcurl lists and describes the services) on the gRPC port.</summary>
public sealed class GrpcReflectionOptions
{
    [ConfigurationKeyName("GRPC_REFLECTION_ENABLED")]
    public bool Enabled { get; set; } = true;
}
