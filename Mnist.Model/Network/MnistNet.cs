using Mnist.Model.Tensors;

namespace Mnist.Model.Network;

/// <summary>
/// The fixed CNN: conv1 1->32 3x3, ReLU, conv2 32->64 3x3, ReLU, max-pool 2, dropout .25, flatten (C,H,W),
/// fc1 9216->128, ReLU, dropout .5, fc2 128->10, log-softmax. Parameters in PyTorch layout and names.
/// </summary>
public sealed class MnistNet
{
    /// <summary>Side of the square input image.</summary>
    public const int ImageSide = 28;

    /// <summary>Pixels per input image.</summary>
    public const int PixelCount = ImageSide * ImageSide;

    /// <summary>Number of output classes (digits).</summary>
    public const int ClassCount = 10;

    private static readonly (string Name, int[] Shape)[] Shapes =
    [
        ("conv1.weight", [32, 1, 3, 3]),
        ("conv1.bias", [32]),
        ("conv2.weight", [64, 32, 3, 3]),
        ("conv2.bias", [64]),
        ("fc1.weight", [128, 9216]),
        ("fc1.bias", [128]),
        ("fc2.weight", [10, 128]),
        ("fc2.bias", [10]),
    ];

    private readonly Parameter[] _parameters;
    private readonly Dictionary<string, Parameter> _byName;

    private MnistNet()
    {
        _parameters = Array.ConvertAll(Shapes, s => new Parameter(s.Name, s.Shape));
        _byName = _parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    /// <summary>Shapes every valid weights file must have, in state-dict order.</summary>
    public static IReadOnlyList<(string Name, int[] Shape)> ParameterShapes { get; } =
        Array.AsReadOnly(Array.ConvertAll(Shapes, s => (s.Name, (int[])s.Shape.Clone())));

    /// <summary>All parameters in state-dict order: conv1.weight, conv1.bias, ..., fc2.bias.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The parameter with the given state-dict name.</summary>
    /// <exception cref="KeyNotFoundException">The name is not one of <see cref="ParameterShapes"/>.</exception>
    public Parameter this[string name] => _byName.TryGetValue(name, out var parameter)
        ? parameter
        : throw new KeyNotFoundException(
            $"No parameter named '{name}'; the parameters are {string.Join(", ", _byName.Keys)}.");

    /// <summary>
    /// PyTorch's default initialisation (kaiming_uniform_ with a = sqrt(5), i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in))
    /// for weights and the same bound for biases), drawn from the engine's SplitMix64 generator seeded with
    /// <paramref name="seed"/>, parameter by parameter in state-dict order.
    /// </summary>
    public static MnistNet CreateInitialized(int seed)
    {
        var net = new MnistNet();
        var random = new SeededRandom((ulong)(uint)seed);
        for (var i = 0; i < net._parameters.Length; i += 2)
        {
            var weight = net._parameters[i];
            var fanIn = weight.Value.Length / weight.Shape[0];
            var bound = (float)(1.0 / Math.Sqrt(fanIn));
            Fill(weight.Value, bound, ref random);
            Fill(net._parameters[i + 1].Value, bound, ref random);
        }

        return net;
    }

    /// <summary>All parameters zero; the weights loader fills them.</summary>
    public static MnistNet CreateZeroed() => new();

    /// <summary>A deep copy of the values (gradients start at zero).</summary>
    public MnistNet Clone()
    {
        var copy = new MnistNet();
        for (var i = 0; i < _parameters.Length; i++)
        {
            _parameters[i].Value.CopyTo(copy._parameters[i].Value, 0);
        }

        return copy;
    }

    private static void Fill(float[] values, float bound, ref SeededRandom random)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.NextUniform(bound);
        }
    }
}
