using System.Buffers.Binary;

namespace Mnist.Model.Imaging;

/// <summary>
/// What a progressive JPEG costs to decode. A baseline JPEG is decoded a stripe at a time, but a progressive one
/// keeps every DCT coefficient of every component until its last scan: 2 bytes per sample, so a 4000x3000 colour
/// photo without chroma subsampling holds 72 MB of coefficients beside its 12 MB of grey pixels (measured: a server
/// decoding two such files at once went from 250 to 517 MiB). The pixel budget is set for about 3 bytes per pixel
/// (a grey byte, and a PNG's alpha or the decoder's stripes), so a progressive JPEG's pixels count (1 + 2 x samples) / 3
/// times: once for a grey one, 4/3 for colour with 4:2:0 subsampling, 7/3 without.
/// </summary>
internal static class ProgressiveJpeg
{
    /// <summary>The pixels a decode of <paramref name="jpeg"/> weighs against the budget: its own unless it is progressive.</summary>
    public static long WeightedPixels(ReadOnlySpan<byte> jpeg, long width, long height)
    {
        if (FrameOf(jpeg) is not { Progressive: true } frame)
        {
            return width * height;
        }

        // Coefficient samples per output pixel: each component's sampling over the largest one's.
        var samples = frame.Components.Sum(c => (double)c.H * c.V / (frame.MaxH * frame.MaxV));
        return (long)Math.Ceiling(width * height * (1 + (2 * samples)) / 3);
    }

    private static Frame? FrameOf(ReadOnlySpan<byte> jpeg)
    {
        var at = 2; // after SOI
        while (at + 4 <= jpeg.Length)
        {
            if (jpeg[at] != 0xFF)
            {
                return null;
            }

            var marker = jpeg[at + 1];
            if (marker == 0xFF)
            {
                at++; // fill byte
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(at + 2)..]);
            if (marker == 0xDA || length < 2 || at + 2 + length > jpeg.Length)
            {
                return null; // a scan before any frame header, or a segment cut short
            }

            // SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC); C2, C6, CA and CE are the progressive ones.
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                return Frame.Read(jpeg.Slice(at + 4, length - 2), progressive: (marker & 0x03) == 0x02);
            }

            at += 2 + length;
        }

        return null;
    }

    private sealed record Component(int H, int V);

    private sealed record Frame(bool Progressive, Component[] Components)
    {
        public int MaxH => Components.Max(c => c.H);

        public int MaxV => Components.Max(c => c.V);

        // precision (1), height (2), width (2), component count (1), then per component: id, HV, table.
        public static Frame? Read(ReadOnlySpan<byte> segment, bool progressive)
        {
            if (segment.Length < 6 || segment[5] == 0 || segment.Length < 6 + (3 * segment[5]))
            {
                return null;
            }

            var components = new Component[segment[5]];
            for (var i = 0; i < components.Length; i++)
            {
                var sampling = segment[6 + (3 * i) + 1];
                components[i] = new Component(Math.Max(1, sampling >> 4), Math.Max(1, sampling & 0x0F));
            }

            return new Frame(progressive, components);
        }
    }
}
