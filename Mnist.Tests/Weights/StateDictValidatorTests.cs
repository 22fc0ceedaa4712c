using Mnist.Model.Weights;
using NUnit.Framework.Constraints;

namespace Mnist.Tests.Weights;

public class StateDictValidatorTests
{
    [Test]
    public void Validate_MatchingEntries_ReturnsThemByName()
    {
        var byName = StateDictValidator.Validate(StateDictSamples.Cnn(), StateDictSamples.CnnShapes, "MNIST CNN");

        Assert.That(byName.Keys, Is.EquivalentTo(StateDictSamples.CnnShapes.Select(s => s.Name)));
    }

    [Test]
    public void Validate_WrongDtype_NamesEntryOffsetAndBothDtypes()
    {
        var entries = Parsed(StateDictSamples.Cnn());
        entries[7] = Reparsed(new StateDictEntry("fc2.bias", TorchScalarType.Float64, [10], new byte[80]), entries[7].Offset);

        Assert.That(() => Validate(entries), ThrowsMismatch("'fc2.bias' (byte 4799601) has dtype Float64 (7), expected Float32 (6)"));
    }

    [Test]
    public void Validate_WrongShape_NamesEntryOffsetAndBothShapes()
    {
        var entries = Parsed(StateDictSamples.Cnn());
        entries[4] = Reparsed(StateDictEntry.FromFloats("fc1.weight", [9216, 128], new float[9216 * 128]), entries[4].Offset);

        Assert.That(() => Validate(entries), ThrowsMismatch("'fc1.weight' (byte 75331) has shape [9216,128], expected [128,9216]"));
    }

    [Test]
    public void Validate_UnknownMissingAndDuplicateNames_AreReportedTogether()
    {
        var entries = StateDictSamples.Cnn();
        entries[1] = StateDictEntry.FromFloats("conv1.bias_", [32], new float[32]);
        entries[3] = StateDictEntry.FromFloats("fc1.bias", [128], new float[128]);
        var parsed = Parsed(entries);

        var error = Assert.Throws<WeightsMismatchException>(() => Validate(parsed))!;

        Assert.That(error.Problems, Is.EqualTo(new[]
        {
            $"unexpected entries 'conv1.bias_' (byte {parsed[1].Offset})",
            "missing entries 'conv1.bias', 'conv2.bias'",
            $"duplicate entries 'fc1.bias' (bytes {parsed[3].Offset} and {parsed[5].Offset})",
        }));
        Assert.That(error.Message, Does.StartWith("The weights file is a valid state dict but does not fit the MNIST CNN: "));
    }

    private static void Validate(IReadOnlyList<StateDictEntry> entries) =>
        StateDictValidator.Validate(entries, StateDictSamples.CnnShapes, "MNIST CNN");

    private static List<StateDictEntry> Parsed(List<StateDictEntry> entries) =>
        StateDictReader.Read(StateDictSamples.ToBytes(entries)).ToList();

    private static StateDictEntry Reparsed(StateDictEntry entry, long offset) =>
        new(entry.Name, entry.ScalarType, entry.Shape, entry.Data, offset);

    private static ContainsConstraint ThrowsMismatch(string problem) =>
        Throws.TypeOf<WeightsMismatchException>().With.Property(nameof(WeightsMismatchException.Problems)).Contains(problem);
}
