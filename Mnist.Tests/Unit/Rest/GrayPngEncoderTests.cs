using Mnist.Inference.Grpc.Rest;
using Mnist.Model.Imaging;

namespace Mnist.Tests.Unit.Rest;

[Category("Unit")]
public class GrayPngEncoderTests
{
    [Test]
    public void Crc32_CheckValue_MatchesTheStandard() =>
        Assert.That(Crc32.Append(0, "123456789"u8), Is.EqualTo(0xCBF43926u));

    [Test]
    public void Encode_TestDigit_LibpngDecodesTheSamePixels()
    {
        var pixels = TestModel.TestSet.Image(3).ToArray();

        var png = GrayPngEncoder.Encode(pixels, 28, 28);
        using var decoded = ImageDecoder.Decode(png, ImageLimits.Default);

        Assert.That((decoded.Width, decoded.Height), Is.EqualTo((28, 28)));
        Assert.That(decoded.Pixels.ToArray(), Is.EqualTo(pixels));
    }

    [Test]
    public void Encode_NonSquare_KeepsRowOrder()
    {
        var pixels = Enumerable.Range(0, 6).Select(i => (byte)(i * 40)).ToArray();

        using var decoded = ImageDecoder.Decode(GrayPngEncoder.Encode(pixels, 3, 2), ImageLimits.Default);

        Assert.That((decoded.Width, decoded.Height), Is.EqualTo((3, 2)));
        Assert.That(decoded.Pixels.ToArray(), Is.EqualTo(pixels));
    }

    [Test]
    public void Encode_WrongPixelCount_Throws() =>
        Assert.Throws<ArgumentException>(() => GrayPngEncoder.Encode(new byte[10], 3, 3));
}
