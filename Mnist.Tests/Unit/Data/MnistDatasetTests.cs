using System.Buffers.Binary;
using System.IO.Compression;
using Mnist.Model.Data;

namespace Mnist.Tests.Unit.Data;

[Category("Unit")]
public class MnistDatasetTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("mnist-idx-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void LoadTest_ShippedFiles_Has10000DigitsWithChecksums()
    {
        var test = MnistDataset.LoadTest(RepoPaths.MnistData);

        Assert.That(test.Count, Is.EqualTo(10_000));
        Assert.That(test.Images, Has.Length.EqualTo(10_000 * 784));
        Assert.That(test.Labels[..10], Is.EqualTo(new byte[] { 7, 2, 1, 0, 4, 1, 4, 9, 5, 9 }));
        Assert.That(test.Files.Select(f => (f.FileName, f.Sha256)), Is.EqualTo(new[]
        {
            ("t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
            ("t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
        }));
    }

    [Test]
    public void LoadTrain_ShippedFiles_Has60000Images()
    {
        var train = MnistDataset.LoadTrain(RepoPaths.MnistData);

        Assert.That(train.Count, Is.EqualTo(60_000));
        Assert.That(train.Labels[..5], Is.EqualTo(new byte[] { 5, 0, 4, 1, 9 }));
        Assert.That(train.Images.Average(p => (double)p) / 255, Is.EqualTo(0.1307).Within(0.0005));
    }

    [Test]
    public void LoadTest_UncompressedFiles_AreAccepted()
    {
        WriteSet(3, gzip: false);

        var set = MnistDataset.LoadTest(_dir);

        Assert.That(set.Count, Is.EqualTo(3));
        Assert.That(set.Labels, Is.EqualTo(new byte[] { 0, 1, 2 }));
        Assert.That(set.Image(2)[0], Is.EqualTo(2));
    }

    [Test]
    public void Take_FewerThanCount_KeepsTheFirstImages()
    {
        WriteSet(5, gzip: true);

        var subset = MnistDataset.LoadTest(_dir).Take(2);

        Assert.That(subset.Count, Is.EqualTo(2));
        Assert.That(subset.Images, Has.Length.EqualTo(2 * 784));
        Assert.That(subset.Labels, Is.EqualTo(new byte[] { 0, 1 }));
    }

    [Test]
    public void LoadTest_MissingDirectory_NamesIt()
    {
        var dir = Path.Combine(_dir, "absent");

        Assert.That(() => MnistDataset.LoadTest(dir), ThrowsData("t10k-images-idx3-ubyte.gz", $"directory {dir} does not exist"));
    }

    [Test]
    public void LoadTest_MissingLabelsFile_NamesIt()
    {
        WriteSet(3, gzip: true);
        File.Delete(Path.Combine(_dir, "t10k-labels-idx1-ubyte.gz"));

        Assert.That(() => MnistDataset.LoadTest(_dir), ThrowsData("t10k-labels-idx1-ubyte.gz", "was not found"));
    }

    [Test]
    public void LoadTest_LabelsFileInPlaceOfImages_ReportsTheMagic()
    {
        WriteSet(3, gzip: true);
        File.Copy(Path.Combine(_dir, "t10k-labels-idx1-ubyte.gz"), Path.Combine(_dir, "t10k-images-idx3-ubyte.gz"), overwrite: true);

        Assert.That(() => MnistDataset.LoadTest(_dir), ThrowsData("t10k-images-idx3-ubyte.gz", "magic number 0x00000801 is not the IDX images magic 0x00000803"));
    }

    [Test]
    public void LoadTest_WrongImageSize_ReportsDimensions()
    {
        Write("t10k-images-idx3-ubyte", Idx(IdxReader.ImagesMagic, [1, 32, 32], new byte[32 * 32]), gzip: true);
        Write("t10k-labels-idx1-ubyte", Idx(IdxReader.LabelsMagic, [1], [0]), gzip: true);

        Assert.That(() => MnistDataset.LoadTest(_dir), ThrowsData("t10k-images-idx3-ubyte.gz", "dimensions are 32x32, expected 28x28"));
    }

    [TestCase(3, "too short (3 bytes) to hold an IDX header")]
    [TestCase(10, "truncated: the header needs 16 bytes, the file has 10")]
    [TestCase(16 + 784 + 100, "announces 3 items (2352 bytes of data) but only 884 bytes follow")]
    public void LoadTest_TruncatedImages_SaysHowMuchIsMissing(int length, string problem)
    {
        WriteSet(3, gzip: true);
        var images = Idx(IdxReader.ImagesMagic, [3, 28, 28], new byte[3 * 784]);
        Write("t10k-images-idx3-ubyte", images[..length], gzip: true);

        Assert.That(() => MnistDataset.LoadTest(_dir), ThrowsData("t10k-images-idx3-ubyte.gz", problem));
    }

    [Test]
    public void LoadTest_TrailingBytes_AreRejected()
    {
        WriteSet(3, gzip: false);
        File.AppendAllText(Path.Combine(_dir, "t10k-labels-idx1-ubyte"), "x");

        Assert.That(() => MnistDataset.LoadTest(_dir), ThrowsData("t10k-labels-idx1-ubyte", "unexpected bytes after the 3 items"));
    }

    [Test]
    public void LoadTest_CorruptGzip_SaysSo()
    {
        WriteSet(3, gzip: true);
        var path = Path.Combine(_dir, "t10k-images-idx3-ubyte.gz");
        var bytes = File.ReadAllBytes(path);
        bytes.AsSpan(10).Fill(0xff);
        File.WriteAllBytes(path, bytes);

        Assert.That(() => MnistDataset.LoadTest(_dir), ThrowsData("t10k-images-idx3-ubyte.gz", "not a valid gzip file"));
    }

    [Test]
    public void LoadTest_CountsDiffer_ReportsBoth()
    {
        WriteSet(3, gzip: true);
        Write("t10k-labels-idx1-ubyte", Idx(IdxReader.LabelsMagic, [2], [0, 1]), gzip: true);

        Assert.That(() => MnistDataset.LoadTest(_dir), ThrowsData("t10k-labels-idx1-ubyte.gz", "holds 3 images but the labels file"));
    }

    [Test]
    public void LoadTest_LabelAboveNine_IsRejected()
    {
        WriteSet(3, gzip: true);
        Write("t10k-labels-idx1-ubyte", Idx(IdxReader.LabelsMagic, [3], [0, 10, 1]), gzip: true);

        Assert.That(() => MnistDataset.LoadTest(_dir), ThrowsData("t10k-labels-idx1-ubyte.gz", "label 10 at index 1 is not a digit 0-9"));
    }

    [Test]
    public void LoadTest_HugeCountInHeader_IsRejected()
    {
        WriteSet(3, gzip: true);
        Write("t10k-images-idx3-ubyte", Idx(IdxReader.ImagesMagic, [int.MaxValue, 28, 28], []), gzip: true);

        Assert.That(() => MnistDataset.LoadTest(_dir), ThrowsData("t10k-images-idx3-ubyte.gz", "item count 2147483647 is outside"));
    }

    private void WriteSet(int count, bool gzip)
    {
        var pixels = new byte[count * 784];
        var labels = new byte[count];
        for (var i = 0; i < count; i++)
        {
            pixels[i * 784] = (byte)i;
            labels[i] = (byte)i;
        }

        Write("t10k-images-idx3-ubyte", Idx(IdxReader.ImagesMagic, [count, 28, 28], pixels), gzip);
        Write("t10k-labels-idx1-ubyte", Idx(IdxReader.LabelsMagic, [count], labels), gzip);
    }

    private void Write(string name, byte[] content, bool gzip)
    {
        if (!gzip)
        {
            File.WriteAllBytes(Path.Combine(_dir, name), content);
            return;
        }

        using var file = File.Create(Path.Combine(_dir, name + ".gz"));
        using var zip = new GZipStream(file, CompressionLevel.Fastest);
        zip.Write(content);
    }

    private static byte[] Idx(int magic, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + (4 * dims.Length) + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (var i = 0; i < dims.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i)), dims[i]);
        }

        data.CopyTo(bytes, 4 + (4 * dims.Length));
        return bytes;
    }

    private static NUnit.Framework.Constraints.ContainsConstraint ThrowsData(string file, string problem) =>
        Throws.TypeOf<MnistDataException>()
            .With.Property(nameof(MnistDataException.FilePath)).EndsWith("/" + file)
            .And.Message.Contain(file).And.Message.Contain(problem);
}
