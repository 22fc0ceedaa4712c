using Mnist.Model.Weights;

namespace Mnist.Tests.Unit.Weights;

[Category("Unit")]
public class AtomicFileTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("mnist-atomic-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void Write_ExistingFile_IsReplacedAndNoTempFileRemains()
    {
        var path = Path.Combine(_dir, "model.dat");
        File.WriteAllBytes(path, [1, 2, 3]);

        AtomicFile.WriteAllBytes(path, new byte[] { 4, 5 });

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(new byte[] { 4, 5 }));
        Assert.That(Directory.GetFiles(_dir), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void Write_WriterThrowsHalfway_LeavesThePreviousFileAndNoTempFile()
    {
        var path = Path.Combine(_dir, "model.dat");
        File.WriteAllBytes(path, [1, 2, 3]);

        Assert.That(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[1000]);
            throw new IOException("disk full");
        }), Throws.TypeOf<IOException>().With.Message.EqualTo("disk full"));

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(new byte[] { 1, 2, 3 }));
        Assert.That(Directory.GetFiles(_dir), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void Write_MissingDirectory_Throws()
    {
        var path = Path.Combine(_dir, "nope", "model.dat");

        Assert.That(() => AtomicFile.WriteAllBytes(path, new byte[] { 1 }), Throws.InstanceOf<IOException>());
    }
}
