using Mnist.Model.Network;

namespace Mnist.Tests;

/// <summary>A network's state dict as plain arrays, for comparisons outside TorchSharp.</summary>
internal static class NetWeights
{
    public static Dictionary<string, float[]> Of(MnistNet net)
    {
        var weights = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (name, tensor) in net.state_dict())
        {
            using var dense = tensor.contiguous(); // logical order, also for channels-last weights
            using var data = dense.data<float>();
            weights[name] = data.ToArray();
        }

        return weights;
    }

    /// <summary>A seeded, freshly initialised network (libtorch's default initialisation).</summary>
    public static MnistNet Seeded(int seed)
    {
        TorchSharp.torch.manual_seed(seed);
        return new MnistNet();
    }
}
