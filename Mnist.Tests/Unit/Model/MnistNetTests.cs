using Mnist.Model.Network;
using Mnist.Tests.Unit.Weights;
using static TorchSharp.torch;

namespace Mnist.Tests.Unit.Model;

[Category("Unit")]
public class MnistNetTests
{
    [Test]
    public void StateDict_NamesAndShapes_AreThoseOfPyTorchsMnistExample()
    {
        using var net = new MnistNet();

        var shapes = net.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);

        Assert.That(shapes.Keys, Is.EqualTo(StateDictSamples.CnnShapes.Select(s => s.Name)));
        foreach (var (name, shape) in StateDictSamples.CnnShapes)
        {
            Assert.That(shapes[name], Is.EqualTo(shape), name);
        }
    }

    [Test]
    public void Constructor_SameSeed_SameWeights_OtherSeed_OtherWeights()
    {
        using var a = NetWeights.Seeded(42);
        using var b = NetWeights.Seeded(42);
        using var c = NetWeights.Seeded(43);
        var (wa, wb, wc) = (NetWeights.Of(a), NetWeights.Of(b), NetWeights.Of(c));

        foreach (var name in wa.Keys)
        {
            Assert.That(wb[name], Is.EqualTo(wa[name]), name);
            Assert.That(wc[name], Is.Not.EqualTo(wa[name]), name);
        }
    }

    [Test]
    public void ToChannelsLast_SameValuesAndOutputs_OnlyTheStridesChange()
    {
        using var net = NetWeights.Seeded(6);
        net.eval();
        var (pixels, _) = MnistTestData.Load("t10k", 16);
        using var input = tensor(pixels, [16, 784]);
        var values = NetWeights.Of(net);
        using var before = net.forward(input);
        var handles = net.parameters().Select(p => p.Handle).ToList();

        net.ToChannelsLast();

        using var after = net.forward(input);
        var conv2 = net.named_parameters().Single(p => p.name == "conv2.weight").parameter;
        Assert.That(conv2.stride(), Is.EqualTo(new long[] { 288, 1, 96, 32 }), "NHWC strides");
        Assert.That(net.parameters().Select(p => p.Handle), Is.EqualTo(handles), "the same native parameters (an optimizer holding them goes on working)");
        Assert.That(after.allclose(before, rtol: 0, atol: 1e-5), Is.True, "another kernel sums in another order; nothing more");
        Assert.That(NetWeights.Of(net), Is.EqualTo(values));
    }

    [Test]
    public void Forward_TrainingMode_DropsOut_EvalMode_DoesNot()
    {
        using var net = NetWeights.Seeded(1);
        var (pixels, _) = MnistTestData.Load("t10k", 4);
        using var input = tensor(pixels, [4, 784]);

        net.train();
        using var first = net.forward(input);
        using var second = net.forward(input);
        net.eval();
        using var third = net.forward(input);
        using var fourth = net.forward(input);

        Assert.That(first.allclose(second), Is.False, "dropout draws new masks on every forward");
        Assert.That(third.allclose(fourth, rtol: 0, atol: 0), Is.True, "eval mode is deterministic");
    }

    [Test]
    public void Forward_RawBytesOrTheirFloatValues_SameOutput()
    {
        using var net = NetWeights.Seeded(2);
        net.eval();
        var (pixels, _) = MnistTestData.Load("t10k", 2);
        using var bytes = tensor(pixels, [2, 1, 28, 28]);
        using var floats = bytes.to(ScalarType.Float32);

        using var fromBytes = net.forward(bytes);
        using var fromFloats = net.forward(floats);

        Assert.That(fromBytes.allclose(fromFloats), Is.True);
        Assert.That(fromBytes.shape, Is.EqualTo(new long[] { 2, 10 }));
    }
}
