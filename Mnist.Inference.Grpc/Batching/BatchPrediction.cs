namespace Mnist.Inference.Grpc.Batching;

/// <summary>One image's share of a batched forward: its 10 probabilities and the version of the model that computed them.</summary>
public sealed record BatchPrediction(float[] Probabilities, string ModelVersion);
