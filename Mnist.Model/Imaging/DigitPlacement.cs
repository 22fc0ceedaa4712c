using System.Numerics.Tensors;

namespace Mnist.Model.Imaging;

/// <summary>Puts a scaled digit into the 28x28 field with its centre of mass at (14, 14).</summary>
/// <remarks>
/// Coordinates are pixel indices: over MNIST's test set the mean centre of mass, computed as sum(index * value)
/// / sum(value), is (14.00, 13.99) with a spread of 0.29 px, i.e. the digits were shifted by whole pixels to
/// bring that point to index 14. We do the same, and clamp the shift so no ink falls off the field.
/// </remarks>
internal static class DigitPlacement
{
    private const int Side = MnistShape.ImageSide;
    private const float Centre = Side / 2;

    public static void PlaceByCentreOfMass(Span<float> digit, int width, int height, Span<byte> destination)
    {
        // MNIST strokes always reach full intensity; a thin stroke averaged down from a large picture would not.
        var peak = TensorPrimitives.Max(digit);
        TensorPrimitives.Multiply(digit, 255f / peak, digit);

        double mass = 0, sumX = 0, sumY = 0;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var value = digit[(y * width) + x];
                mass += value;
                sumX += x * value;
                sumY += y * value;
            }
        }

        var left = Math.Clamp((int)Math.Round(Centre - (sumX / mass), MidpointRounding.AwayFromZero), 0, Side - width);
        var top = Math.Clamp((int)Math.Round(Centre - (sumY / mass), MidpointRounding.AwayFromZero), 0, Side - height);
        destination.Clear();
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var value = Math.Clamp(digit[(y * width) + x], 0f, 255f);
                destination[((top + y) * Side) + left + x] = (byte)MathF.Round(value);
            }
        }
    }
}
