namespace Mnist.Model.Network;

/// <summary>The torchvision MNIST normalisation: (x/255 - 0.1307) / 0.3081.</summary>
public static class MnistNormalization
{
    /// <summary>Mean of the MNIST training pixels scaled to [0, 1].</summary>
    public const float Mean = 0.1307f;

    /// <summary>Standard deviation of the MNIST training pixels scaled to [0, 1].</summary>
    public const float Std = 0.3081f;

    private static readonly float[] Table = BuildTable();

    /// <summary>Normalises raw bytes; <paramref name="destination"/> must be exactly as long as <paramref name="pixels"/>.</summary>
    public static void Normalize(ReadOnlySpan<byte> pixels, Span<float> destination)
    {
        if (destination.Length != pixels.Length)
        {
            throw new ArgumentException(
                $"Destination holds {destination.Length} floats but {pixels.Length} pixels were given; the lengths must match.",
                nameof(destination));
        }

        var table = Table;
        for (var i = 0; i < pixels.Length; i++)
        {
            destination[i] = table[pixels[i]];
        }
    }

    // Same float operations as torchvision's ToTensor (x / 255) then Normalize ((x - mean) / std).
    private static float[] BuildTable()
    {
        var table = new float[256];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = ((i / 255f) - Mean) / Std;
        }

        return table;
    }
}
