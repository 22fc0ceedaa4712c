using Mnist.Model.Imaging;
using Mnist.Model.Inference;
using Mnist.Model.Weights;

namespace Mnist.Tests.Unit.Imaging;

/// <summary>
/// What a user sends: a phone photo of a digit written on paper. MNIST test digits drawn in dark ink on off-white
/// paper with uneven light and sensor noise, at sizes from 56 to 420 pixels, anywhere on a larger picture, saved
/// as JPEG (with a colour cast) or PNG, are read and classified about as well as the same digits' own 28x28 pixels.
/// </summary>
[Category("Unit")]
public class PaperPhotoTests
{
    private const int Count = 300;

    [Test]
    [CancelAfter(120_000)]
    public void ReadDigit_PhotosOfDigitsOnPaper_ClassifiedAboutAsWellAsTheirMnistPixels(CancellationToken token)
    {
        var reader = new DigitImageReader(ImageLimits.Default);
        using var predictor = new MnistPredictor(MnistWeights.Load(TestModel.LoopWeights));
        var (fromPixels, fromPhotos, jpegs) = (0, 0, 0);
        for (var i = 0; i < Count; i++)
        {
            token.ThrowIfCancellationRequested();
            var label = MnistTestDigits.Label(i);
            var original = MnistTestDigits.Image(i);
            fromPixels += Classify(predictor, original) == label ? 1 : 0;

            var (photo, isJpeg) = Photograph(original, new Random(i));
            jpegs += isJpeg ? 1 : 0;
            var read = new byte[784];
            reader.ReadDigit(photo, read, token);
            fromPhotos += Classify(predictor, read) == label ? 1 : 0;
        }

        TestContext.Out.WriteLine($"{Count} digits ({jpegs} JPEG): {fromPixels} right from their pixels, {fromPhotos} from photos");
        Assert.That(fromPhotos, Is.GreaterThanOrEqualTo(fromPixels - (Count * 3 / 100)), "at most 3 points lost to the photo");
    }

    private static int Classify(MnistPredictor predictor, byte[] pixels)
    {
        var probabilities = new float[10];
        predictor.Predict(pixels, probabilities);
        return Array.IndexOf(probabilities, probabilities.Max());
    }

    // Ink darkens the paper in proportion to the digit's (bilinear) intensity; the light falls off across the
    // picture; every pixel gets noise.
    private static (byte[] Encoded, bool IsJpeg) Photograph(byte[] mnist, Random random)
    {
        var scale = random.Next(2, 16);
        var side = 28 * scale;
        var (width, height) = (side + random.Next(side / 4, 2 * side), side + random.Next(side / 4, 2 * side));
        var (left, top) = (random.Next(0, width - side), random.Next(0, height - side));
        var digit = DigitCanvas.BlackOnWhite(mnist, scale, width, height, left, top);
        double paper = random.Next(175, 245), ink = random.Next(15, 80), light = random.Next(10, 35);
        var (gx, gy) = (random.NextDouble() - 0.5, random.NextDouble() - 0.5);
        var grey = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var lit = paper + (light * ((gx * x / width) + (gy * y / height)));
                var coverage = (255 - digit[(y * width) + x]) / 255.0;
                var noise = (random.NextDouble() + random.NextDouble() - 1) * 8;
                grey[(y * width) + x] = (byte)Math.Clamp(Math.Round(lit - ((lit - ink) * coverage) + noise), 0, 255);
            }
        }

        if (random.Next(2) == 0)
        {
            return (TestPngEncoder.Encode(grey, width, height), false);
        }

        // Warm indoor light: red a little up, blue down.
        var rgb = new byte[grey.Length * 3];
        for (var i = 0; i < grey.Length; i++)
        {
            (rgb[3 * i], rgb[(3 * i) + 1], rgb[(3 * i) + 2]) = ((byte)Math.Min(255, grey[i] + 6), grey[i], (byte)Math.Max(0, grey[i] - 12));
        }

        return (TestJpegEncoder.EncodeRgb(rgb, width, height, quality: random.Next(60, 95)), true);
    }
}
