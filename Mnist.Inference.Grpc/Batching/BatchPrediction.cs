namespace Mnist.Inference.Grpc.Batching;

/// <summary>A call's answer: 10 probabilities per image, image after image, and the version of the model that computed them.</summary>
public sealed record BatchPrediction(float[] Probabilities, string ModelVersion);
