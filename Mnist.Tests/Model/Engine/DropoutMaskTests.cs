using Mnist.Model.Layers;
using Mnist.Model.Tensors;

namespace Mnist.Tests.Model.Engine;

/// <summary>The vectorised mask and draws against their one-at-a-time definitions.</summary>
public class DropoutMaskTests
{
    [TestCase(0.25f, 9216 + 5)]
    [TestCase(0.5f, 128)]
    [TestCase(0.1f, 7)]
    public void FillMask_AnyLength_EqualsDrawByDrawDefinition(float probability, int length)
    {
        var layer = new Dropout(probability);
        var mask = new float[length];
        var generator = new SeededRandom(42);

        layer.FillMask(mask, ref generator);

        // Each 64-bit draw gives two elements: its top 24 bits, then its low 24 bits; an odd last element uses a fresh draw's top bits.
        var reference = new SeededRandom(42);
        var keep = 1f - probability;
        var expected = new float[length];
        for (var i = 0; i < length; i += 2)
        {
            var bits = reference.NextUInt64();
            expected[i] = ((bits >> 40) * (1f / (1 << 24))) < keep ? layer.Scale : 0f;
            if (i + 1 < length)
            {
                expected[i + 1] = ((bits & 0xFFFFFF) * (1f / (1 << 24))) < keep ? layer.Scale : 0f;
            }
        }

        Assert.That(mask, Is.EqualTo(expected));
        Assert.That(generator.NextUInt64(), Is.EqualTo(reference.NextUInt64()), "the generator ends in the same state");
    }

    [Test]
    public void NextUInt64x4_EqualsFourSequentialDraws()
    {
        var vector = new SeededRandom(ulong.MaxValue - 2);
        var scalar = new SeededRandom(ulong.MaxValue - 2);

        var four = vector.NextUInt64x4();

        Assert.That(
            new[] { four[0], four[1], four[2], four[3], vector.NextUInt64() },
            Is.EqualTo(new[] { scalar.NextUInt64(), scalar.NextUInt64(), scalar.NextUInt64(), scalar.NextUInt64(), scalar.NextUInt64() }));
    }
}
