namespace Mnist.Inference.Grpc.Routing;

/// <summary>Endpoint metadata: the endpoint answers only on connections accepted on one of these local ports.</summary>
internal sealed record LocalPortMetadata(params int[] Ports)
{
    public bool Allows(int port) => Array.IndexOf(Ports, port) >= 0;
}
