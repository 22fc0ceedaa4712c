namespace Mnist.Inference.Grpc.Classification;

/// <summary>N images' answers as blocks: 10 probabilities per image and the most likely digits, image after image.</summary>
public sealed record DigitBatchPrediction(float[] Probabilities, long[] Digits, string ModelVersion)
{
    public int Count => Digits.Length;
}
