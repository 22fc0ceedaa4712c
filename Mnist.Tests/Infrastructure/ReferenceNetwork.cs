using Mnist.Model.Network;

namespace Mnist.Tests;

/// <summary>
/// A naive double-precision forward pass (eval mode) of the MNIST network, written loop by loop from the PyTorch
/// definition, independent of TorchSharp: the yardstick that the module computes what PyTorch's network does
/// with the same state dict (layouts, flatten order, normalisation).
/// </summary>
internal static class ReferenceNetwork
{
    /// <summary>Log-probabilities of one raw 28x28 image under the weights (state-dict name -> row-major values).</summary>
    public static double[] LogProbabilities(IReadOnlyDictionary<string, float[]> weights, ReadOnlySpan<byte> pixels)
    {
        var image = new double[pixels.Length];
        for (var i = 0; i < image.Length; i++)
        {
            image[i] = ((pixels[i] / 255.0) - MnistNormalization.Mean) / MnistNormalization.Std;
        }

        var conv1 = Convolve(image, 1, 28, weights["conv1.weight"], weights["conv1.bias"], 32);
        var conv2 = Convolve(conv1, 32, 26, weights["conv2.weight"], weights["conv2.bias"], 64);
        var pooled = new double[64 * 12 * 12];
        for (var c = 0; c < 64; c++)
        {
            for (var y = 0; y < 12; y++)
            {
                for (var x = 0; x < 12; x++)
                {
                    var at = (c * 576) + (2 * y * 24) + (2 * x);
                    pooled[(c * 144) + (y * 12) + x] = Math.Max(Math.Max(conv2[at], conv2[at + 1]), Math.Max(conv2[at + 24], conv2[at + 25]));
                }
            }
        }

        var hidden = Dense(pooled, weights["fc1.weight"], weights["fc1.bias"], 128);
        for (var j = 0; j < hidden.Length; j++)
        {
            hidden[j] = Math.Max(hidden[j], 0);
        }

        var logits = Dense(hidden, weights["fc2.weight"], weights["fc2.bias"], 10);
        var max = logits.Max();
        var logSum = Math.Log(logits.Sum(v => Math.Exp(v - max)));
        return logits.Select(v => v - max - logSum).ToArray();
    }

    // Valid 3x3 convolution followed by ReLU.
    private static double[] Convolve(double[] input, int channels, int side, float[] weight, float[] bias, int outChannels)
    {
        var outSide = side - 2;
        var output = new double[outChannels * outSide * outSide];
        for (var o = 0; o < outChannels; o++)
        {
            for (var y = 0; y < outSide; y++)
            {
                for (var x = 0; x < outSide; x++)
                {
                    double sum = bias[o];
                    for (var c = 0; c < channels; c++)
                    {
                        for (var ky = 0; ky < 3; ky++)
                        {
                            for (var kx = 0; kx < 3; kx++)
                            {
                                sum += weight[(((o * channels) + c) * 9) + (ky * 3) + kx] * input[(c * side * side) + ((y + ky) * side) + x + kx];
                            }
                        }
                    }

                    output[(o * outSide * outSide) + (y * outSide) + x] = Math.Max(sum, 0);
                }
            }
        }

        return output;
    }

    private static double[] Dense(double[] input, float[] weight, float[] bias, int outFeatures)
    {
        var output = new double[outFeatures];
        for (var o = 0; o < outFeatures; o++)
        {
            double sum = bias[o];
            for (var i = 0; i < input.Length; i++)
            {
                sum += weight[(o * input.Length) + i] * input[i];
            }

            output[o] = sum;
        }

        return output;
    }
}
