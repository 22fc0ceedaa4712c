namespace Mnist.Model.Weights;

/// <summary>
/// Checks a parsed state dict against the float32 parameters a model expects, collecting every problem
/// (unexpected, missing and duplicate names, dtype and shape mismatches) before reporting.
/// </summary>
internal static class StateDictValidator
{
    /// <summary>Returns the entries keyed by name when they fit; otherwise throws <see cref="WeightsMismatchException"/>.</summary>
    public static Dictionary<string, StateDictEntry> Validate(
        IReadOnlyList<StateDictEntry> entries, IReadOnlyList<(string Name, int[] Shape)> expected, string modelName)
    {
        var expectedShapes = expected.ToDictionary(p => p.Name, p => p.Shape, StringComparer.Ordinal);
        var byName = new Dictionary<string, StateDictEntry>(StringComparer.Ordinal);
        var problems = new List<string>();
        var unexpected = new List<string>();
        var duplicates = new List<string>();

        foreach (var entry in entries)
        {
            if (!byName.TryAdd(entry.Name, entry))
            {
                duplicates.Add($"'{entry.Name}' (bytes {byName[entry.Name].Offset} and {entry.Offset})");
                continue;
            }

            if (!expectedShapes.TryGetValue(entry.Name, out var shape))
            {
                unexpected.Add($"'{entry.Name}' (byte {entry.Offset})");
            }
            else if (entry.ScalarType != TorchScalarType.Float32)
            {
                problems.Add($"'{entry.Name}' (byte {entry.Offset}) has dtype {entry.ScalarType.Describe()}, expected {TorchScalarType.Float32.Describe()}");
            }
            else if (!StateDictShape.SameAs(entry.Shape, shape))
            {
                problems.Add($"'{entry.Name}' (byte {entry.Offset}) has shape {StateDictShape.Format(entry.Shape)}, expected {StateDictShape.Format(shape)}");
            }
        }

        var missing = expected.Where(p => !byName.ContainsKey(p.Name)).Select(p => $"'{p.Name}'").ToList();
        if (unexpected.Count > 0)
        {
            problems.Add("unexpected entries " + string.Join(", ", unexpected));
        }

        if (missing.Count > 0)
        {
            problems.Add("missing entries " + string.Join(", ", missing));
        }

        if (duplicates.Count > 0)
        {
            problems.Add("duplicate entries " + string.Join(", ", duplicates));
        }

        if (problems.Count > 0)
        {
            throw new WeightsMismatchException(modelName, problems);
        }

        return byName;
    }
}
