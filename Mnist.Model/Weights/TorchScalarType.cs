namespace Mnist.Model.Weights;

// The member names are TorchSharp's ScalarType names, so messages match what TorchSharp users know.
#pragma warning disable CA1720

/// <summary>
/// Tensor element types as numbered in a TorchSharp state-dict file (libtorch's <c>c10::ScalarType</c>).
/// </summary>
public enum TorchScalarType
{
    /// <summary>uint8.</summary>
    Byte = 0,
    /// <summary>int8.</summary>
    Int8 = 1,
    /// <summary>int16.</summary>
    Int16 = 2,
    /// <summary>int32.</summary>
    Int32 = 3,
    /// <summary>int64.</summary>
    Int64 = 4,
    /// <summary>IEEE half precision.</summary>
    Float16 = 5,
    /// <summary>IEEE single precision: what the MNIST CNN stores.</summary>
    Float32 = 6,
    /// <summary>IEEE double precision.</summary>
    Float64 = 7,
    /// <summary>Two float32 values.</summary>
    ComplexFloat32 = 9,
    /// <summary>Two float64 values.</summary>
    ComplexFloat64 = 10,
    /// <summary>One byte per element.</summary>
    Bool = 11,
    /// <summary>Quantized int8.</summary>
    QInt8 = 12,
    /// <summary>Quantized uint8.</summary>
    QUInt8 = 13,
    /// <summary>Quantized int32.</summary>
    QInt32 = 14,
    /// <summary>Brain floating point (16 bits).</summary>
    BFloat16 = 15,
}
#pragma warning restore CA1720
