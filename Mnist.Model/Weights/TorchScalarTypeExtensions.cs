namespace Mnist.Model.Weights;

/// <summary>Element sizes of <see cref="TorchScalarType"/> values.</summary>
public static class TorchScalarTypeExtensions
{
    /// <summary>Bytes per element, or 0 for a code this format does not define.</summary>
    public static int ElementSize(this TorchScalarType type) => type switch
    {
        TorchScalarType.Byte or TorchScalarType.Int8 or TorchScalarType.Bool
            or TorchScalarType.QInt8 or TorchScalarType.QUInt8 => 1,
        TorchScalarType.Int16 or TorchScalarType.Float16 or TorchScalarType.BFloat16 => 2,
        TorchScalarType.Int32 or TorchScalarType.Float32 or TorchScalarType.QInt32 => 4,
        TorchScalarType.Int64 or TorchScalarType.Float64 or TorchScalarType.ComplexFloat32 => 8,
        TorchScalarType.ComplexFloat64 => 16,
        _ => 0,
    };

    /// <summary>"Float32 (6)": the name and the number as written in the file.</summary>
    public static string Describe(this TorchScalarType type) =>
        type.ElementSize() == 0 ? $"unknown ({(int)type})" : $"{type} ({(int)type})";
}
