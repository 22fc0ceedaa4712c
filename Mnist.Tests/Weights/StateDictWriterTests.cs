using Mnist.Model.Weights;

namespace Mnist.Tests.Weights;

public class StateDictWriterTests
{
    [Test]
    public void Write_MnistCnn_HasTheSpecifiedTotalLength()
    {
        var bytes = StateDictSamples.CnnFile();

        Assert.That(bytes, Has.Length.EqualTo(4_799_653));
    }

    [Test]
    public void Write_MnistCnn_StartsWithTheSpecifiedHeaderBytes()
    {
        var bytes = StateDictSamples.CnnFile();

        byte[] expected = [0x08, 0x0c, 0x63, 0x6f, 0x6e, 0x76, 0x31, 0x2e, 0x77, 0x65, 0x69, 0x67, 0x68, 0x74, 0x06, 0x04, 0x20, 0x01, 0x03, 0x03];
        Assert.That(bytes[..20], Is.EqualTo(expected));
    }

    // Offsets, header lengths and data lengths from the worked example in torchsharp-format.md.
    [TestCase(0, 1, 19, 1152)]
    [TestCase(1, 1172, 14, 128)]
    [TestCase(2, 1314, 19, 73728)]
    [TestCase(3, 75061, 14, 256)]
    [TestCase(4, 75331, 17, 4718592)]
    [TestCase(5, 4793940, 13, 512)]
    [TestCase(6, 4794465, 16, 5120)]
    [TestCase(7, 4799601, 12, 40)]
    public void Write_MnistCnn_PlacesEachEntryAtTheSpecifiedOffset(int index, int offset, int headerLength, int dataLength)
    {
        var entries = StateDictReader.Read(StateDictSamples.CnnFile());

        Assert.That(entries[index].Offset, Is.EqualTo(offset));
        Assert.That(entries[index].Data.Length, Is.EqualTo(dataLength));
        var next = index + 1 < entries.Count ? entries[index + 1].Offset : 4_799_653;
        Assert.That(next - offset - dataLength, Is.EqualTo(headerLength));
    }

    [Test]
    public void Write_Fc1Weight_EncodesDimsAsTwoByteVarints()
    {
        var bytes = StateDictSamples.CnnFile();

        // name "fc1.weight" (len 10) at 75331, then dtype 6, rank 2, 128 = 80 01, 9216 = 80 48.
        Assert.That(bytes[75332..75342], Is.EqualTo("fc1.weight"u8.ToArray()));
        Assert.That(bytes[75342..75348], Is.EqualTo(new byte[] { 0x06, 0x02, 0x80, 0x01, 0x80, 0x48 }));
    }

    [Test]
    public void Write_FloatData_IsLittleEndian()
    {
        var entry = StateDictEntry.FromFloats("x", [2], [1f, -2.5f]);

        var bytes = StateDictSamples.ToBytes([entry]);

        Assert.That(bytes, Is.EqualTo(new byte[] { 0x01, 0x01, (byte)'x', 0x06, 0x01, 0x02, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x20, 0xc0 }));
    }

    [Test]
    public void WriteFloat32_SameValues_MatchesWriteOfEntry()
    {
        float[] values = [0.5f, 1.5f, -3f, 7f, 0f, 1e-3f];
        using var direct = new MemoryStream();
        new StateDictWriter(direct, 1).WriteFloat32("w", [2, 3], values);

        var viaEntry = StateDictSamples.ToBytes([StateDictEntry.FromFloats("w", [2, 3], values)]);

        Assert.That(direct.ToArray(), Is.EqualTo(viaEntry));
    }

    [Test]
    public void Write_MoreEntriesThanDeclared_Throws()
    {
        using var stream = new MemoryStream();
        var writer = new StateDictWriter(stream, 1);
        writer.WriteFloat32("a", [1], [1f]);

        Assert.That(() => writer.WriteFloat32("b", [1], [1f]), Throws.InvalidOperationException);
    }

    [Test]
    public void WriteFloat32_ShapeDoesNotMatchValues_Throws()
    {
        using var stream = new MemoryStream();
        var writer = new StateDictWriter(stream, 1);

        Assert.That(() => writer.WriteFloat32("a", [2, 2], [1f, 2f, 3f]), Throws.ArgumentException);
    }

    [TestCase(0ul, new byte[] { 0x00 })]
    [TestCase(127ul, new byte[] { 0x7f })]
    [TestCase(128ul, new byte[] { 0x80, 0x01 })]
    [TestCase(300ul, new byte[] { 0xac, 0x02 })]
    [TestCase(9216ul, new byte[] { 0x80, 0x48 })]
    [TestCase(ulong.MaxValue, new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 })]
    public void Leb128Write_Value_MatchesTheSpecExamples(ulong value, byte[] expected)
    {
        var buffer = new byte[Leb128.MaxBytes];

        var length = Leb128.Write(value, buffer);

        Assert.That(buffer[..length], Is.EqualTo(expected));
        Assert.That(Leb128.Length(value), Is.EqualTo(expected.Length));
    }
}
