namespace Mnist.Model.Network;

/// <summary>A named parameter tensor in PyTorch layout (row-major), with its gradient buffer.</summary>
public sealed class Parameter
{
    /// <summary>Creates a zero-filled parameter of the given PyTorch shape.</summary>
    public Parameter(string name, int[] shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        var length = 1;
        foreach (var dimension in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension, nameof(shape));
            length = checked(length * dimension);
        }

        Name = name;
        Shape = (int[])shape.Clone();
        Value = new float[length];
        Grad = new float[length];
    }

    /// <summary>The state-dict name, e.g. <c>conv1.weight</c>.</summary>
    public string Name { get; }

    /// <summary>PyTorch <c>.shape</c> order, e.g. [32, 1, 3, 3].</summary>
    public int[] Shape { get; }

    /// <summary>The values, row-major; length is the product of <see cref="Shape"/>.</summary>
    public float[] Value { get; }

    /// <summary>The gradient, same length as <see cref="Value"/>.</summary>
    public float[] Grad { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}]";
}
