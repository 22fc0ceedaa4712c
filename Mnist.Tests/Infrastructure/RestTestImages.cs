using Mnist.Inference.Grpc.Rest;

namespace Mnist.Tests;

/// <summary>PNG files for REST tests, from the MNIST test set or crafted byte by byte.</summary>
internal static class RestTestImages
{
    /// <summary>Test-set image <paramref name="index"/> as a 28x28 grey PNG (white digit on black).</summary>
    public static byte[] TestDigitPng(int index) => GrayPngEncoder.Encode(TestModel.TestSet.Image(index), 28, 28);

    /// <summary>A valid PNG header claiming <paramref name="side"/> x <paramref name="side"/> pixels, with a correct IHDR CRC and no real data.</summary>
    public static byte[] PngClaiming(int side)
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, side);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), side);
        header[8] = 8;
        GrayPngEncoder.WriteChunk(png, "IHDR"u8, header);
        GrayPngEncoder.WriteChunk(png, "IDAT"u8, [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        GrayPngEncoder.WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }
}
