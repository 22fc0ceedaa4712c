using Mnist.Model.Network;

namespace Mnist.Tests;

/// <summary>
/// A naive double-precision forward pass of the MNIST network, written loop by loop from the PyTorch
/// definition, independent of the engine's layers: the yardstick for whole-network gradient checks.
/// </summary>
internal static class ReferenceNetwork
{
    /// <summary>Mean NLL loss of the images; masks (0 or 1/(1-p), per image 9216 then 128) as the engine drew them, or null for eval.</summary>
    public static double Loss(MnistNet net, float[] images, byte[] labels, float[]? mask1, float[]? mask2)
    {
        var loss = 0.0;
        for (var i = 0; i < labels.Length; i++)
        {
            var logProbabilities = LogProbabilities(
                net,
                images.AsSpan(i * 784, 784),
                mask1 is null ? default : mask1.AsSpan(i * 9216, 9216),
                mask2 is null ? default : mask2.AsSpan(i * 128, 128));
            loss -= logProbabilities[labels[i]];
        }

        return loss / labels.Length;
    }

    public static double[] LogProbabilities(MnistNet net, ReadOnlySpan<float> image, ReadOnlySpan<float> mask1, ReadOnlySpan<float> mask2)
    {
        var conv1 = Convolve(image, 1, 28, net["conv1.weight"].Value, net["conv1.bias"].Value, 32);
        var conv2 = Convolve(conv1, 32, 26, net["conv2.weight"].Value, net["conv2.bias"].Value, 64);
        var pooled = new double[64 * 12 * 12];
        for (var c = 0; c < 64; c++)
        {
            for (var y = 0; y < 12; y++)
            {
                for (var x = 0; x < 12; x++)
                {
                    var at = (c * 576) + (2 * y * 24) + (2 * x);
                    var value = Math.Max(Math.Max(conv2[at], conv2[at + 1]), Math.Max(conv2[at + 24], conv2[at + 25]));
                    pooled[(c * 144) + (y * 12) + x] = value * (mask1.IsEmpty ? 1 : mask1[(c * 144) + (y * 12) + x]);
                }
            }
        }

        var hidden = Dense(pooled, net["fc1.weight"].Value, net["fc1.bias"].Value, 128);
        for (var j = 0; j < hidden.Length; j++)
        {
            hidden[j] = Math.Max(hidden[j], 0) * (mask2.IsEmpty ? 1 : mask2[j]);
        }

        var logits = Dense(hidden, net["fc2.weight"].Value, net["fc2.bias"].Value, 10);
        var max = logits.Max();
        var logSum = Math.Log(logits.Sum(v => Math.Exp(v - max)));
        return logits.Select(v => v - max - logSum).ToArray();
    }

    // Valid 3x3 convolution followed by ReLU.
    private static double[] Convolve(ReadOnlySpan<float> input, int channels, int side, float[] weight, float[] bias, int outChannels)
    {
        var inputs = new double[input.Length];
        for (var i = 0; i < input.Length; i++)
        {
            inputs[i] = input[i];
        }

        return Convolve(inputs, channels, side, weight, bias, outChannels);
    }

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
