using System.Buffers.Binary;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace Mnist.Tests;

/// <summary>
/// Hostile variants of valid PNG and JPEG files, the enabled decoders' fuzz campaign: truncations, bit flips,
/// headers that lie (sizes, chunk and segment lengths, with valid CRCs so the lie gets past the checksum), and
/// loops in the one chain of offsets these formats carry (the TIFF structure of an Exif block). Deterministic.
/// </summary>
internal static class DecoderFuzzCorpus
{
    /// <summary>An 88-byte BigTIFF whose first IFD claims 2^40 entries: ImageSharp 2's TIFF decoder loops on it forever.</summary>
    public static byte[] BigTiffBomb()
    {
        var tiff = new byte[88];
        "II+\0"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(4), 8); // offset size
        BinaryPrimitives.WriteUInt64LittleEndian(tiff.AsSpan(8), 16); // first IFD
        BinaryPrimitives.WriteUInt64LittleEndian(tiff.AsSpan(16), 1UL << 40); // its entry count
        return tiff;
    }

    /// <summary>A GIF declaring a 65535x65535 screen and frame, whose LZW data restarts forever (clear codes).</summary>
    public static byte[] GifBomb()
    {
        using var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        gif.Write([0xFF, 0xFF, 0xFF, 0xFF, 0xF0, 0, 0]); // screen 65535x65535, global table of 2 colours
        gif.Write([0, 0, 0, 255, 255, 255]);
        gif.Write([0x2C, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0]); // image descriptor: the whole screen
        gif.WriteByte(2); // LZW minimum code size
        for (var block = 0; block < 64; block++)
        {
            gif.WriteByte(255);
            gif.Write(Enumerable.Repeat((byte)0x44, 255).ToArray()); // clear codes, again and again
        }

        gif.Write([0, 0x3B]);
        return gif.ToArray();
    }

    /// <summary>The valid files the campaign starts from, by name.</summary>
    public static IReadOnlyList<(string Name, byte[] File)> Seeds()
    {
        var grey = Gradient(48, 40);
        var rgb = grey.SelectMany(g => new[] { g, (byte)(255 - g), (byte)(g / 2) }).ToArray();
        var rgba = grey.SelectMany(g => new[] { g, g, g, (byte)(g > 100 ? 255 : 0) }).ToArray();
        return
        [
            ("png-grey", TestPngEncoder.Encode(grey, 48, 40)),
            ("png-rgba", TestPngEncoder.Encode(rgba, 48, 40, TestPngEncoder.Rgba)),
            ("png-palette", Encode(rgb, new PngEncoder { ColorType = PngColorType.Palette })),
            ("png-interlaced-16bit", Encode(rgb, new PngEncoder { InterlaceMethod = PngInterlaceMode.Adam7, BitDepth = PngBitDepth.Bit16, ColorType = PngColorType.Rgb })),
            ("png-exif-loop", PngWithChunk(TestPngEncoder.Encode(grey, 48, 40), "eXIf", ExifLoop())),
            ("jpeg-grey", TestJpegEncoder.EncodeGray(grey, 48, 40)),
            ("jpeg-rgb", TestJpegEncoder.EncodeRgb(rgb, 48, 40)),
            ("jpeg-cmyk", TestJpegEncoder.EncodeCmyk(rgb, 48, 40)),
            ("jpeg-exif-loop", JpegWithApp1(TestJpegEncoder.EncodeGray(grey, 48, 40), [.. "Exif\0\0"u8, .. ExifLoop()])),
        ];
    }

    /// <summary>Every hostile input: each seed as is, truncated, bit-flipped and with lying headers.</summary>
    public static IEnumerable<(string Name, byte[] File)> All()
    {
        var random = new Random(18);
        foreach (var (name, seed) in Seeds())
        {
            yield return (name, seed);
            foreach (var length in Enumerable.Range(0, 24).Concat(Enumerable.Range(1, 23).Select(k => seed.Length * k / 24)).Distinct())
            {
                yield return ($"{name} cut at {length}", seed[..length]);
            }

            for (var i = 0; i < 48; i++)
            {
                var flipped = seed.ToArray();
                for (var k = 0; k <= i % 4; k++)
                {
                    var bit = random.Next(flipped.Length * 8);
                    flipped[bit / 8] ^= (byte)(1 << (bit % 8));
                }

                yield return ($"{name} flip {i}", flipped);
            }

            foreach (var lie in name.StartsWith("png", StringComparison.Ordinal) ? PngLies(seed) : JpegLies(seed))
            {
                yield return ($"{name} {lie.Name}", lie.File);
            }
        }
    }

    private static IEnumerable<(string Name, byte[] File)> PngLies(byte[] png)
    {
        foreach (var (width, height) in new[] { (0u, 40u), (48u, 0u), (1u, 0x7FFFFFFFu), (65535u, 65535u), (4096u, 4096u), (3000u, 4000u) })
        {
            var lying = png.ToArray();
            BinaryPrimitives.WriteUInt32BigEndian(lying.AsSpan(16), width);
            BinaryPrimitives.WriteUInt32BigEndian(lying.AsSpan(20), height);
            BinaryPrimitives.WriteUInt32BigEndian(lying.AsSpan(29), System.IO.Hashing.Crc32.HashToUInt32(lying.AsSpan(12, 17)));
            yield return ($"claims {width}x{height}", lying);
        }

        // The chunk after IHDR (at 33) claims more data than the file holds, or none.
        foreach (var length in new[] { 0u, 1u, 0x7FFFFFF0u, 0xFFFFFFFFu })
        {
            var lying = png.ToArray();
            BinaryPrimitives.WriteUInt32BigEndian(lying.AsSpan(33), length);
            yield return ($"chunk length {length}", lying);
        }
    }

    private static IEnumerable<(string Name, byte[] File)> JpegLies(byte[] jpeg)
    {
        // Every marker segment in turn claims a length of 0, 2, its own length + 100 and 0xFFFF.
        for (var at = 2; at + 4 < jpeg.Length && jpeg[at] == 0xFF && jpeg[at + 1] != 0xDA; at += 2 + BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at + 2)))
        {
            var own = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(at + 2));
            foreach (var length in new[] { 0, 2, Math.Min(own + 100, 0xFFFF), 0xFFFF })
            {
                var lying = jpeg.ToArray();
                BinaryPrimitives.WriteUInt16BigEndian(lying.AsSpan(at + 2), (ushort)length);
                yield return ($"segment FF{jpeg[at + 1]:X2} length {length}", lying);
            }

            if (jpeg[at + 1] is 0xC0 or 0xC1 or 0xC2)
            {
                foreach (var (width, height) in new[] { (0, 40), (48, 0), (65535, 65535), (4096, 4096), (4000, 3000) })
                {
                    var lying = jpeg.ToArray();
                    BinaryPrimitives.WriteUInt16BigEndian(lying.AsSpan(at + 5), (ushort)height);
                    BinaryPrimitives.WriteUInt16BigEndian(lying.AsSpan(at + 7), (ushort)width);
                    yield return ($"claims {width}x{height}", lying);
                }
            }
        }
    }

    // A big-endian TIFF structure whose IFD0 points to itself twice: as its Exif sub-IFD and as the next IFD.
    private static byte[] ExifLoop()
    {
        var tiff = new byte[8 + 2 + 12 + 4];
        "MM\0*"u8.CopyTo(tiff);
        BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(4), 8);
        BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(10), 0x8769); // ExifIFDPointer
        BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(12), 4); // LONG
        BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(14), 1);
        BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(18), 8);
        BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(22), 8); // next IFD: itself
        return tiff;
    }

    private static byte[] PngWithChunk(byte[] png, string type, byte[] data)
    {
        using var output = new MemoryStream();
        output.Write(png, 0, 33); // signature and IHDR
        HandMadePng.WriteChunk(output, type, data);
        output.Write(png, 33, png.Length - 33);
        return output.ToArray();
    }

    private static byte[] JpegWithApp1(byte[] jpeg, byte[] data)
    {
        using var output = new MemoryStream();
        output.Write(jpeg, 0, 2);
        output.Write([0xFF, 0xE1, (byte)((data.Length + 2) >> 8), (byte)(data.Length + 2)]);
        output.Write(data);
        output.Write(jpeg, 2, jpeg.Length - 2);
        return output.ToArray();
    }

    private static byte[] Encode(byte[] rgb, PngEncoder encoder)
    {
        using var image = Image.LoadPixelData<Rgb24>(rgb, 48, 40);
        using var stream = new MemoryStream();
        image.SaveAsPng(stream, encoder);
        return stream.ToArray();
    }

    private static byte[] Gradient(int width, int height) =>
        Enumerable.Range(0, width * height).Select(i => (byte)((i % width * 5) + (i / width * 3))).ToArray();
}
