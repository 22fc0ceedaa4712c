using Mnist.Model.Weights;
using NUnit.Framework.Constraints;

namespace Mnist.Tests.Weights;

public class StateDictReaderTests
{
    private static readonly byte[] CnnFile = StateDictSamples.CnnFile();

    [Test]
    public void Read_WrittenFile_RoundTripsEveryEntry()
    {
        var original = StateDictSamples.Cnn();

        var read = StateDictReader.Read(CnnFile);

        Assert.That(read.Select(e => e.Name), Is.EqualTo(original.Select(e => e.Name)));
        for (var i = 0; i < read.Count; i++)
        {
            Assert.That(read[i].ScalarType, Is.EqualTo(TorchScalarType.Float32));
            Assert.That(read[i].Shape, Is.EqualTo(original[i].Shape));
            Assert.That(SpanComparison.FirstMismatch(original[i].Data.Span, read[i].Data.Span), Is.EqualTo(-1), read[i].Name);
        }
    }

    [Test]
    public void Read_NonSeekableStream_RoundTrips()
    {
        using var stream = new NonSeekableStream(CnnFile);

        var read = StateDictReader.Read(stream);

        Assert.That(read, Has.Count.EqualTo(8));
        Assert.That(SpanComparison.FirstMismatch<byte>(CnnFile, StateDictSamples.ToBytes(read)), Is.EqualTo(-1));
    }

    [Test]
    public void Read_OtherDtypesAndScalars_AreParsedBySize()
    {
        StateDictEntry[] entries =
        [
            new("steps", TorchScalarType.Int64, [], new byte[8]),
            new("mask", TorchScalarType.Bool, [3], new byte[] { 1, 0, 1 }),
            new("half", TorchScalarType.Float16, [2, 2], new byte[8]),
            new("empty", TorchScalarType.Float64, [0, 5], Array.Empty<byte>()),
            new("z", TorchScalarType.ComplexFloat64, [1], new byte[16]),
        ];

        var read = StateDictReader.Read(StateDictSamples.ToBytes(entries));

        Assert.That(read.Select(e => (e.Name, e.ScalarType, e.Data.Length)), Is.EqualTo(entries.Select(e => (e.Name, e.ScalarType, e.Data.Length))));
        Assert.That(read[0].Shape, Is.Empty);
    }

    [Test]
    public void Read_EmptyFile_IsRejected()
    {
        Assert.That(() => StateDictReader.Read(Array.Empty<byte>()), ThrowsInvalid(0, "empty"));
    }

    // Cut inside: the count's entries, conv1.weight's data, fc1.weight's first dim varint, fc2.bias's data.
    [TestCase(1, 1, null, "claims 8 entries but only 0 bytes follow")]
    [TestCase(100, 20, "conv1.weight", "needs 1152 bytes, the file has 80 left")]
    [TestCase(75345, 75344, "fc1.weight", "file ends inside the dimension 0")]
    [TestCase(4_799_652, 4_799_613, "fc2.bias", "needs 40 bytes, the file has 39 left")]
    public void Read_TruncatedFile_NamesEntryAndOffset(int length, long offset, string? entry, string problem)
    {
        AssertTruncation(CnnFile, length, offset, entry, problem);
    }

    // A one-entry file, so the count does not already rule out these short cuts: inside the name, the rank.
    [TestCase(5, 2, null, "truncated: the name needs 12 bytes, the file has 3 left")]
    [TestCase(15, 15, "conv1.weight", "file ends inside the rank")]
    public void Read_TruncatedSingleEntryFile_NamesEntryAndOffset(int length, long offset, string? entry, string problem)
    {
        var file = StateDictSamples.ToBytes([StateDictSamples.Cnn()[0]]);

        AssertTruncation(file, length, offset, entry, problem);
    }

    [Test]
    public void Read_TrailingBytes_AreRejected()
    {
        byte[] file = [.. CnnFile, 1, 2, 3];

        Assert.That(() => StateDictReader.Read(file), ThrowsInvalid(4_799_653, "3 unexpected bytes after the last of 8 entries"));
    }

    [Test]
    public void Read_UnknownDtypeCode_IsRejected()
    {
        var file = (byte[])CnnFile.Clone();
        file[14] = 8;

        Assert.That(() => StateDictReader.Read(file), ThrowsInvalid(14, "'conv1.weight': unknown dtype code 8"));
    }

    [Test]
    public void Read_DimsWhoseProductOverflows_AreRejectedWithoutAllocating()
    {
        // "x", float32, rank 2, dims 2^40 x 2^40.
        byte[] file = [0x01, 0x01, (byte)'x', 0x06, 0x02, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20];

        Assert.That(() => StateDictReader.Read(file), ThrowsInvalid(17, "needs more than 2^63 bytes"));
    }

    [Test]
    public void Read_DimsClaimingMoreBytesThanTheFile_AreRejected()
    {
        // "x", float32, rank 1, dim 2^30 (4 GiB of data) with 4 bytes present.
        byte[] file = [0x01, 0x01, (byte)'x', 0x06, 0x01, 0x80, 0x80, 0x80, 0x80, 0x04, 0, 0, 0, 0];

        Assert.That(() => StateDictReader.Read(file), ThrowsInvalid(10, "needs 4294967296 bytes, the file has 4 left"));
    }

    [Test]
    public void Read_CountClaimingMoreEntriesThanFit_IsRejected()
    {
        byte[] file = [0xff, 0xff, 0xff, 0xff, 0x07, 0x01, (byte)'x', 0x06, 0x00, 0, 0, 0, 0];

        Assert.That(() => StateDictReader.Read(file), ThrowsInvalid(5, "claims 2147483647 entries"));
    }

    [Test]
    public void Read_VarintLongerThanTenBytes_IsRejected()
    {
        byte[] file = [0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00];

        Assert.That(() => StateDictReader.Read(file), ThrowsInvalid(0, "entry count is an overlong varint (more than 10 bytes)"));
    }

    [Test]
    public void Read_VarintBeyond64Bits_IsRejected()
    {
        byte[] file = [0x01, 0x01, (byte)'x', 0x06, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];

        Assert.That(() => StateDictReader.Read(file), ThrowsInvalid(5, "'x': the dimension 0 overflows 64 bits"));
    }

    [Test]
    public void Read_NonCanonicalVarint_IsRejected()
    {
        // Count 8 written as 88 00: a redundant zero group no writer produces.
        byte[] file = [0x88, 0x00, .. CnnFile[1..]];

        Assert.That(() => StateDictReader.Read(file), ThrowsInvalid(0, "overlong (non-canonical) varint of 2 bytes"));
    }

    [Test]
    public void Read_NameLongerThanTheLimit_IsRejected()
    {
        byte[] file = [0x01, 0x81, 0x40, .. new byte[8300]];

        Assert.That(() => StateDictReader.Read(file), ThrowsInvalid(1, "name length is 8193, at most 4096 is allowed"));
    }

    [Test]
    public void Read_RankAboveTheLimit_IsRejected()
    {
        byte[] file = [0x01, 0x01, (byte)'x', 0x06, 0x09, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0];

        Assert.That(() => StateDictReader.Read(file), ThrowsInvalid(4, "rank is 9, at most 8 is allowed"));
    }

    [Test]
    public void Read_InvalidUtf8Name_IsRejected()
    {
        byte[] file = [0x01, 0x02, 0xc3, 0x28, 0x06, 0x00, 0, 0, 0, 0];

        Assert.That(() => StateDictReader.Read(file), ThrowsInvalid(1, "not valid UTF-8"));
    }

    [Test]
    public void Read_PyTorchZip_SaysSo()
    {
        byte[] file = [.. "PK\x03\x04"u8, .. new byte[200]];

        Assert.That(() => StateDictReader.Read(file), ThrowsInvalid(0, "zip archive (PyTorch torch.save"));
    }

    [Test]
    public void Read_PyTorchPickle_SaysSo()
    {
        byte[] file = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, .. new byte[100]];

        Assert.That(() => StateDictReader.Read(file), ThrowsInvalid(0, "Python pickle"));
    }

    private static void AssertTruncation(byte[] file, int length, long offset, string? entry, string problem)
    {
        var error = Assert.Throws<InvalidWeightsFileException>(() => StateDictReader.Read(file.AsMemory(0, length)))!;

        Assert.That(error.Offset, Is.EqualTo(offset));
        Assert.That(error.EntryName, Is.EqualTo(entry));
        Assert.That(error.Message, Does.Contain($"at byte {offset}").And.Contain(problem));
        if (entry is not null)
        {
            Assert.That(error.Message, Does.Contain($"'{entry}'"));
        }
    }

    private static ContainsConstraint ThrowsInvalid(long offset, string problem) =>
        Throws.TypeOf<InvalidWeightsFileException>()
            .With.Property(nameof(InvalidWeightsFileException.Offset)).EqualTo(offset)
            .And.Message.Contain(problem);

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
