using System.Diagnostics;
using Mnist.Model.Imaging;

namespace Mnist.Tests.Unit.Imaging;

/// <summary>
/// The fuzz campaign an enabled decoder must pass: every hostile variant of a valid PNG or JPEG ends, within a
/// second of CPU, in a picture or a refusal the client may read; never a hang, a crash or another exception.
/// CPU time, not wall time, is the bound: the test machines are shared, and a hang burns CPU anyway.
/// </summary>
[Category("Unit")]
public class DecoderFuzzTests
{
    private static readonly TimeSpan PerInput = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(10);

    [Test, CancelAfter(120_000)]
    public void Decode_EveryFuzzInput_EndsWithinASecondInAPictureOrARefusal(CancellationToken token)
    {
        var inputs = DecoderFuzzCorpus.All().ToList();
        var slowest = TimeSpan.Zero;
        string slowestName = "", decoded = "";
        int pictures = 0, refusals = 0;
        foreach (var (name, file) in inputs)
        {
            token.ThrowIfCancellationRequested();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            // On a thread of its own, so a decode that never ends fails this test instead of hanging the run.
            var decode = Task.Factory.StartNew(() => Outcome(file), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            Assert.That(decode.Wait(HangGuard, token), Is.True, $"'{name}' still decoding after {HangGuard.TotalSeconds} s");
            var elapsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            if (elapsed > slowest)
            {
                (slowest, slowestName) = (elapsed, name);
            }

            Assert.That(decode.Result, Is.Null, $"'{name}': {decode.Result}");
            decoded = name;
            _ = Picture(file) ? pictures++ : refusals++;
        }

        TestContext.Progress.WriteLine($"decoder fuzz: {inputs.Count} inputs, {pictures} decoded, {refusals} refused; most CPU {slowest.TotalMilliseconds:F1} ms ({slowestName})");
        Assert.That(slowest, Is.LessThan(PerInput), slowestName);
        Assert.That(refusals, Is.GreaterThan(inputs.Count / 3), decoded);
    }

    [Test]
    public void Decode_BigTiffWithTwoToTheFortyEntries_RefusedAtOnceNamingPngAndJpeg()
    {
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(DecoderFuzzCorpus.BigTiffBomb(), ImageLimits.Default));

        Assert.That(error!.Message, Is.EqualTo("TIFF images are not accepted; send a PNG or JPEG file"));
    }

    [Test]
    public void Decode_GifBomb_RefusedAtOnceNamingPngAndJpeg()
    {
        var error = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Decode(DecoderFuzzCorpus.GifBomb(), ImageLimits.Default));

        Assert.That(error!.Message, Is.EqualTo("GIF images are not accepted; send a PNG or JPEG file"));
    }

    [Test]
    public void Decode_CancelledToken_ThrowsOperationCanceled()
    {
        var jpeg = DecoderFuzzCorpus.Seeds().First(s => s.Name == "jpeg-rgb").File;

        Assert.That(() => ImageDecoder.Decode(jpeg, ImageLimits.Default, new CancellationToken(canceled: true)), Throws.InstanceOf<OperationCanceledException>());
    }

    // Null when the outcome is one a client may see: a picture or a refusal.
    private static string? Outcome(byte[] file)
    {
        try
        {
            using var image = ImageDecoder.Decode(file, ImageLimits.Default);
            return null;
        }
        catch (ImageRejectedException)
        {
            return null;
        }
        catch (Exception e)
        {
            return e.ToString();
        }
    }

    private static bool Picture(byte[] file)
    {
        try
        {
            using var image = ImageDecoder.Decode(file, ImageLimits.Default);
            return true;
        }
        catch (ImageRejectedException)
        {
            return false;
        }
    }
}
