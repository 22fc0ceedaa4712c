using Mnist.Model.Network;
using Mnist.Model.Weights;

namespace Mnist.Tests.Weights;

public class MnistWeightsTests
{
    [Test]
    public void SaveThenLoad_InitializedNet_RestoresEveryValueExactly()
    {
        var net = MnistNet.CreateInitialized(seed: 7);

        var loaded = MnistWeights.Load(new MemoryStream(MnistWeights.Serialize(net)));

        for (var i = 0; i < net.Parameters.Count; i++)
        {
            Assert.That(SpanComparison.FirstMismatch<float>(net.Parameters[i].Value, loaded.Parameters[i].Value), Is.EqualTo(-1), net.Parameters[i].Name);
        }
    }

    [Test]
    public void Serialize_InitializedNet_HasTheTorchSharpLayout()
    {
        var bytes = MnistWeights.Serialize(MnistNet.CreateInitialized(seed: 1));

        Assert.That(bytes, Has.Length.EqualTo(MnistWeights.FileLength));
        Assert.That(bytes[..20], Is.EqualTo(StateDictSamples.CnnFile()[..20]));
    }

    [Test]
    public void Serialize_SameValues_MatchesTheGenericWriterByteForByte()
    {
        var net = MnistNet.CreateInitialized(seed: 3);
        var entries = net.Parameters.Select(p => StateDictEntry.FromFloats(p.Name, p.Shape, p.Value)).ToList();

        Assert.That(SpanComparison.FirstMismatch<byte>(StateDictSamples.ToBytes(entries), MnistWeights.Serialize(net)), Is.EqualTo(-1));
    }

    [Test]
    public void SaveToPath_ThenLoad_RoundTrips()
    {
        var dir = Directory.CreateTempSubdirectory("mnist-weights-").FullName;
        try
        {
            var path = Path.Combine(dir, "model.dat");
            var net = MnistNet.CreateInitialized(seed: 5);

            MnistWeights.Save(net, path);

            Assert.That(MnistWeights.Load(path)["fc2.bias"].Value, Is.EqualTo(net["fc2.bias"].Value).AsCollection);
            Assert.That(ModelVersion.ComputeFile(path), Is.EqualTo(ModelVersion.Compute(MnistWeights.Serialize(net))));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void LoadInto_FileCorruptInLastEntry_LeavesTargetUnchanged()
    {
        var target = MnistNet.CreateInitialized(seed: 9);
        var before = Snapshot(target);
        var file = MnistWeights.Serialize(MnistNet.CreateInitialized(seed: 10));

        Assert.That(() => MnistWeights.LoadInto(target, new MemoryStream(file[..^1])), Throws.TypeOf<InvalidWeightsFileException>());

        Assert.That(SpanComparison.FirstMismatch<float>(before, Snapshot(target)), Is.EqualTo(-1));
    }

    [Test]
    public void LoadInto_WrongShapeInLastEntry_LeavesTargetUnchanged()
    {
        var target = MnistNet.CreateInitialized(seed: 9);
        var before = Snapshot(target);
        var other = MnistNet.CreateInitialized(seed: 10);
        var entries = other.Parameters.Select(p => StateDictEntry.FromFloats(p.Name, p.Shape, p.Value)).ToList();
        entries[^1] = StateDictEntry.FromFloats("fc2.bias", [2, 5], other["fc2.bias"].Value);

        Assert.That(
            () => MnistWeights.LoadInto(target, new MemoryStream(StateDictSamples.ToBytes(entries))),
            Throws.TypeOf<WeightsMismatchException>().With.Message.Contain("'fc2.bias' (byte 4799601) has shape [2,5], expected [10]"));

        Assert.That(SpanComparison.FirstMismatch<float>(before, Snapshot(target)), Is.EqualTo(-1));
    }

    [Test]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        Assert.That(() => MnistWeights.Load("/nonexistent/model.dat"), Throws.InstanceOf<FileNotFoundException>().Or.InstanceOf<DirectoryNotFoundException>());
    }

    private static float[] Snapshot(MnistNet net) => net.Parameters.SelectMany(p => p.Value).ToArray();
}
