using System.Security.Cryptography;

namespace Mnist.Tests.Unit.Model;

[Category("Unit")]
public class DataFilesTests
{
    [Test]
    public void ShippedMnistFiles_MatchTheirChecksums()
    {
        var dir = RepoPaths.MnistData;
        var lines = File.ReadAllLines(Path.Combine(dir, "SHA256SUMS"));
        Assert.That(lines, Has.Length.EqualTo(4));
        foreach (var line in lines)
        {
            var parts = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            var actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(dir, parts[1].TrimStart('*')))));
            Assert.That(actual, Is.EqualTo(parts[0]), parts[1]);
        }
    }
}
