using Mnist.Model.Weights;

namespace Mnist.Tests.Unit.Weights;

[Category("Unit")]
public class MnistWeightsTests
{
    [Test]
    public void SerializeThenLoad_SeededNet_RestoresEveryValueExactly()
    {
        using var net = NetWeights.Seeded(7);

        using var loaded = MnistWeights.Load(MnistWeights.Serialize(net));

        var (expected, actual) = (NetWeights.Of(net), NetWeights.Of(loaded));
        foreach (var name in expected.Keys)
        {
            Assert.That(SpanComparison.FirstMismatch<float>(expected[name], actual[name]), Is.EqualTo(-1), name);
        }
    }

    [Test]
    public void Serialize_SeededNet_IsByteForByteThePyTorchExportLayout()
    {
        using var net = NetWeights.Seeded(3);

        var bytes = MnistWeights.Serialize(net);

        Assert.That(bytes, Has.Length.EqualTo(MnistWeights.FileLength));
        Assert.That(SpanComparison.FirstMismatch<byte>(StateDictSamples.ToBytes(StateDictSamples.Of(net)), bytes), Is.EqualTo(-1));
    }

    [Test]
    public void Load_FileWrittenInTheExportLayout_HasItsValues()
    {
        var file = StateDictSamples.ToBytes(StateDictSamples.Cnn());

        using var net = MnistWeights.Load(file);

        var weights = NetWeights.Of(net);
        Assert.That(weights["conv1.weight"][0], Is.EqualTo(0f));
        Assert.That(weights["fc2.bias"][9], Is.EqualTo(7 + (9 * 1e-6f)));
        Assert.That(MnistWeights.Serialize(net), Is.EqualTo(file), "saving again gives the same bytes");
    }

    [Test]
    public void SaveToPath_ThenLoad_RoundTrips()
    {
        var dir = Directory.CreateTempSubdirectory("mnist-weights-").FullName;
        try
        {
            var path = Path.Combine(dir, "model.dat");
            using var net = NetWeights.Seeded(5);

            MnistWeights.Save(net, path);

            using var loaded = MnistWeights.Load(path);
            Assert.That(NetWeights.Of(loaded)["fc2.bias"], Is.EqualTo(NetWeights.Of(net)["fc2.bias"]).AsCollection);
            Assert.That(ModelVersion.ComputeFile(path), Is.EqualTo(ModelVersion.Compute(MnistWeights.Serialize(net))));
            Assert.That(Directory.GetFiles(dir), Has.Length.EqualTo(1), "no temporary file is left");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Load_MissingFile_ThrowsFileNotFoundNamingIt() =>
        Assert.That(() => MnistWeights.Load("/nonexistent/model.dat"),
            Throws.InstanceOf<FileNotFoundException>().With.Message.Contains("/nonexistent/model.dat"));

    [Test]
    public void Load_Empty_ThrowsInvalidNamingIt() =>
        Assert.That(() => MnistWeights.Load(Array.Empty<byte>()), Throws.TypeOf<InvalidWeightsFileException>().With.Message.Contains("empty"));

    [TestCase(1)]
    [TestCase(5)]
    [TestCase(100)]
    [TestCase(4_799_652)]
    public void Load_Truncated_ThrowsInvalidSayingTruncated(int keep)
    {
        var file = StateDictSamples.ToBytes(StateDictSamples.Cnn());

        Assert.That(() => MnistWeights.Load(file.AsMemory(0, keep)),
            Throws.TypeOf<InvalidWeightsFileException>().With.Message.Contains("truncated"));
    }

    [Test]
    public void Load_TrailingBytes_ThrowsInvalidCountingThem()
    {
        var file = StateDictSamples.ToBytes(StateDictSamples.Cnn()).Concat(new byte[3]).ToArray();

        Assert.That(() => MnistWeights.Load(file),
            Throws.TypeOf<InvalidWeightsFileException>().With.Message.Contains("3 unexpected bytes after its last entry"));
    }

    [TestCase(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0, 0 }, "zip")]
    [TestCase(new byte[] { 0x80, 0x02, 0x8A, 0x0A }, "pickle")]
    public void Load_PyTorchOwnFormats_ThrowsInvalidNamingTheFormat(byte[] start, string name) =>
        Assert.That(() => MnistWeights.Load(start), Throws.TypeOf<InvalidWeightsFileException>().With.Message.Contains(name).And.Message.Contains("exportsd"));

    [Test]
    public void Load_WrongShape_ThrowsMismatchNamingTheShape()
    {
        var entries = StateDictSamples.Cnn();
        entries[^1] = entries[^1] with { Shape = [2, 5] };

        Assert.That(() => MnistWeights.Load(StateDictSamples.ToBytes(entries)),
            Throws.TypeOf<WeightsMismatchException>().With.Message.Contains("shape"));
    }

    [Test]
    public void Load_Float64Entry_ThrowsMismatchNamingTheDataType()
    {
        var entries = StateDictSamples.Cnn();
        entries[^1] = new StateDictSamples.Entry("fc2.bias", StateDictSamples.Float64, [10], new byte[80]);

        Assert.That(() => MnistWeights.Load(StateDictSamples.ToBytes(entries)),
            Throws.TypeOf<WeightsMismatchException>().With.Message.Contains("data type"));
    }

    [Test]
    public void Load_UnknownName_ThrowsMismatchNamingIt()
    {
        var entries = StateDictSamples.Cnn();
        entries[^1] = entries[^1] with { Name = "fc3.bias" };

        Assert.That(() => MnistWeights.Load(StateDictSamples.ToBytes(entries)),
            Throws.TypeOf<WeightsMismatchException>().With.Message.Contains("fc3.bias"));
    }

    [Test]
    public void Load_EntryMissing_ThrowsMismatchCountingEntries()
    {
        var entries = StateDictSamples.Cnn();
        entries.RemoveAt(1);

        Assert.That(() => MnistWeights.Load(StateDictSamples.ToBytes(entries)),
            Throws.TypeOf<WeightsMismatchException>().With.Message.Contains("expected 8, but found 7"));
    }

    [Test]
    public void Load_DuplicateHidingAMissingEntry_ThrowsMismatchNamingTheDuplicate()
    {
        var entries = StateDictSamples.Cnn();
        entries[1] = entries[3]; // conv2.bias twice, conv1.bias absent: the count still matches

        Assert.That(() => MnistWeights.Load(StateDictSamples.ToBytes(entries)),
            Throws.TypeOf<WeightsMismatchException>().With.Message.Contains("'conv2.bias' appears twice"));
    }
}
