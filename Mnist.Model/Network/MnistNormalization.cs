using static TorchSharp.torch;

namespace Mnist.Model.Network;

/// <summary>The torchvision MNIST normalisation: (x/255 - 0.1307) / 0.3081.</summary>
public static class MnistNormalization
{
    /// <summary>Mean of the MNIST training pixels scaled to [0, 1].</summary>
    public const float Mean = 0.1307f;

    /// <summary>Standard deviation of the MNIST training pixels scaled to [0, 1].</summary>
    public const float Std = 0.3081f;

    /// <summary>A new float32 tensor of the normalised pixels; the same float operations as torchvision's ToTensor then Normalize.</summary>
    public static Tensor Normalize(Tensor pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        using var scope = NewDisposeScope();
        return pixels.to(ScalarType.Float32).div(255f).sub_(Mean).div_(Std).MoveToOuterDisposeScope();
    }
}
