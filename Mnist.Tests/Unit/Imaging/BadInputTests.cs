using Mnist.Model.Imaging;

namespace Mnist.Tests.Unit.Imaging;

[Category("Unit")]
public class BadInputTests
{
    [Test]
    public void Decode_PngHeaderClaiming60000Squared_ThrowsTooLargeWithoutAllocating()
    {
        var bomb = HandMadePng.Gray8(60000, 60000, [new byte[16]]);
        _ = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(bomb, ImageLimits.Default)); // warm up

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(bomb, ImageLimits.Default));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(error!.Message, Is.EqualTo("image is 60000x60000; at most 4096x4096 pixels are accepted"));
        // Only the header is read: far below the 3.6 GB the pixels would take.
        Assert.That(allocated, Is.LessThan(1024 * 1024));
    }

    [Test]
    public void Decode_PngHeaderClaimingFourBillionPixelsWide_ThrowsDecodeException()
    {
        // PNG allows at most 2^31-1 pixels a side: such a header is invalid, not merely large.
        var bomb = HandMadePng.Gray8(uint.MaxValue, 1, [new byte[16]]);

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(bomb, ImageLimits.Default));

        Assert.That(error!.Message, Is.EqualTo("image is corrupt, truncated or of an unsupported kind (PNG)"));
    }

    [TestCase(8)]
    [TestCase(20)]
    [TestCase(40)]
    [TestCase(-16)]
    [TestCase(-40)]
    [TestCase(-200)]
    public void Decode_TruncatedPng_ThrowsDecodeException(int keep)
    {
        var noise = new byte[64 * 64];
        new Random(5).NextBytes(noise);
        var png = TestPngEncoder.Encode(noise, 64, 64);
        var truncated = png[..(keep > 0 ? keep : png.Length + keep)];

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(truncated, ImageLimits.Default));

        Assert.That(error!.Message, Does.Contain("(PNG)").Or.StartWith("not an image"));
    }

    [Test]
    public void Decode_PngWithCorruptImageData_ThrowsDecodeException()
    {
        var png = TestPngEncoder.Encode(JpegDecodingTests.Gradient(64, 64), 64, 64);
        png[png.Length / 2] ^= 0x5A;

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(png, ImageLimits.Default));

        Assert.That(error!.Message, Is.EqualTo("image is corrupt, truncated or of an unsupported kind (PNG)"));
    }

    [TestCase(3)]
    [TestCase(100)]
    [TestCase(-100)]
    [TestCase(-2)]
    public void Decode_TruncatedJpeg_ThrowsDecodeException(int keep)
    {
        var jpeg = TestJpegEncoder.EncodeGray(JpegDecodingTests.Gradient(64, 64), 64, 64);
        var truncated = jpeg[..(keep > 0 ? keep : jpeg.Length + keep)];

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(truncated, ImageLimits.Default));

        Assert.That(error!.Message, Does.Contain("(JPEG)").Or.StartWith("not an image"));
    }

    [Test]
    public void Decode_Empty_ThrowsDecodeException()
    {
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(Array.Empty<byte>(), ImageLimits.Default));

        Assert.That(error!.Message, Does.Contain("empty (0 bytes)"));
    }

    [Test]
    public void Decode_Heif_NamesTheFormat()
    {
        var heif = "\0\0\0\u0018ftypheic\0\0\0\0mif1heic"u8.ToArray();

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(heif, ImageLimits.Default));

        Assert.That(error!.Message, Is.EqualTo("HEIF/AVIF images are not accepted; send a PNG or JPEG file"));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Decode_RandomBytes_ThrowsNotAnImage(int seed)
    {
        var bytes = new byte[1000];
        new Random(seed).NextBytes(bytes);
        bytes[0] = 0x42;

        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(bytes, ImageLimits.Default));

        Assert.That(error!.Message, Does.StartWith("not an image: the data starts with 0x42"));
    }

    [Test]
    public void Decode_RandomBytesBehindPngOrJpegSignatures_AlwaysThrowsDecodeException()
    {
        // A small fuzz: valid magic, random (or randomly damaged) rest; each must fail cleanly, never crash.
        var random = new Random(7);
        var png = TestPngEncoder.Encode(JpegDecodingTests.Gradient(32, 32), 32, 32);
        var jpeg = TestJpegEncoder.EncodeGray(JpegDecodingTests.Gradient(32, 32), 32, 32);
        int tailsRefused = 0, damagedRefused = 0;
        for (var i = 0; i < 300; i++)
        {
            var sample = (i % 4) switch
            {
                0 => WithRandomTail(png[..8], random),
                1 => WithRandomTail(jpeg[..3], random),
                2 => Damaged(png, random),
                _ => Damaged(jpeg, random),
            };
            try
            {
                using var image = ImageDecoder.Decode(sample, ImageLimits.Default);
            }
            catch (ImageRejectedException)
            {
                _ = i % 4 < 2 ? tailsRefused++ : damagedRefused++;
            }
        }

        // Damage inside entropy-coded data can still decode to a (wrong) picture; that is not a failure.
        Assert.That(tailsRefused, Is.EqualTo(150));
        Assert.That(damagedRefused, Is.GreaterThan(0));
    }

    private static byte[] WithRandomTail(byte[] magic, Random random)
    {
        var bytes = new byte[magic.Length + random.Next(0, 200)];
        random.NextBytes(bytes);
        magic.CopyTo(bytes, 0);
        return bytes;
    }

    private static byte[] Damaged(byte[] file, Random random)
    {
        var bytes = file.ToArray();
        for (var k = 0; k < 4; k++)
        {
            bytes[random.Next(16, bytes.Length)] = (byte)random.Next(256);
        }

        return bytes;
    }
}
