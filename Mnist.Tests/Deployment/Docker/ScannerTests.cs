using Mnist.Tests.Deployment.Infrastructure;

namespace Mnist.Tests.Deployment.Docker;

/// <summary>The helpers the deployment tests rely on must themselves be able to tell right from wrong.</summary>
[Category("Deployment")]
public class ScannerTests
{
    [TestCase("Mnist.Model/obj/x.json", true)]
    [TestCase("Mnist.Model/Layers/Conv2d.cs", false)]
    [TestCase(".git/HEAD", true)]
    [TestCase("data/mnist/train-images-idx3-ubyte.gz", false)]
    [TestCase("README.md", true)]
    [TestCase("data/mnist/README.md", false)]
    public void DockerIgnore_Patterns_MatchLikeDocker(string path, bool excluded)
    {
        var ignore = DockerIgnore.FromLines("**/obj/", ".git/", "*.md", "# comment", "Mnist.Tests/");

        Assert.That(ignore.Excludes(path), Is.EqualTo(excluded));
    }

    [Test]
    public void DockerfileParse_JoinsContinuations_AndSplitsStages()
    {
        var stages = Dockerfile.Parse([
            "# syntax=docker/dockerfile:1",
            "ARG SDK=img:1",
            "FROM --platform=$BUILDPLATFORM ${SDK} AS build",
            "RUN a \\",
            "    # comment inside",
            "    && b",
            "FROM base:2",
            "ENV A=1 \\",
            "    B=\"two words\" C=",
        ]);

        Assert.That(stages.Select(s => (s.BaseImage, s.Name, s.Platform)),
            Is.EqualTo(new[] { ("img:1", (string?)"build", (string?)"$BUILDPLATFORM"), ("base:2", null, null) }));
        Assert.That(stages[0].BaseImageReference, Is.EqualTo("${SDK}"));
        Assert.That(stages[0].All("RUN").Single().Arguments, Is.EqualTo("a && b"));
        Assert.That(stages[1].Pairs("ENV"), Is.EqualTo(new Dictionary<string, string> { ["A"] = "1", ["B"] = "two words", ["C"] = "" }));
    }
}
