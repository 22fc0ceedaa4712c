namespace Mnist.Inference.Grpc.Classification;

/// <summary>One image's answer: the most likely digit, all ten probabilities, and the model version that computed them.</summary>
public sealed record DigitPrediction(int Digit, float[] Probabilities, string ModelVersion)
{
    public float Confidence => Probabilities[Digit];
}
