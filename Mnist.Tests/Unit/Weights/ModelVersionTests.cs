using Mnist.Model.Weights;

namespace Mnist.Tests.Unit.Weights;

[Category("Unit")]
public class ModelVersionTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("mnist-version-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void ComputeFile_KnownContent_IsLowercaseSha256Hex()
    {
        var path = Path.Combine(_dir, "abc");
        File.WriteAllBytes(path, "abc"u8.ToArray());

        Assert.That(ModelVersion.ComputeFile(path), Is.EqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        Assert.That(ModelVersion.Compute("abc"u8), Is.EqualTo(ModelVersion.ComputeFile(path)));
    }
}
