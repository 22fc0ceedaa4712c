namespace Mnist.Inference.Grpc.Hosting;

/// <summary>Endpoint metadata: the endpoint answers only on connections accepted on this local port.</summary>
internal sealed record LocalPortMetadata(int Port);
