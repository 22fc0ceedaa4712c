namespace Mnist.Model.Weights;

/// <summary>
/// The file is a well-formed state dict but not for this model: unexpected, missing or duplicate names,
/// or a wrong dtype or shape. <see cref="Problems"/> lists every problem found, not just the first.
/// </summary>
public sealed class WeightsMismatchException : WeightsFileException
{
    /// <summary>Creates the exception from the list of problems.</summary>
    public WeightsMismatchException(string modelName, IReadOnlyList<string> problems)
        : base($"The weights file is a valid state dict but does not fit the {modelName}: {string.Join("; ", problems)}.")
    {
        Problems = problems;
    }

    /// <summary>One line per problem, each naming the entry and its byte offset in the file.</summary>
    public IReadOnlyList<string> Problems { get; }
}
