namespace Mnist.Model.Weights;

/// <summary>Unsigned LEB128 ("7-bit encoded") integers as TorchSharp and .NET's BinaryWriter write them.</summary>
internal static class Leb128
{
    /// <summary>Longest encoding of a 64-bit value.</summary>
    public const int MaxBytes = 10;

    /// <summary>Writes <paramref name="value"/> into <paramref name="destination"/>; returns the byte count.</summary>
    public static int Write(ulong value, Span<byte> destination)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    /// <summary>Bytes needed to encode <paramref name="value"/>.</summary>
    public static int Length(ulong value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }
}
