using Mnist.Cli.Calls;

namespace Mnist.Cli.Commands;

/// <summary>
/// The failures of a command that makes many calls: each printed as its one-line message when it comes, counted, and
/// the worst exit code kept.
/// </summary>
internal sealed class FailureTally(CommandRun run)
{
    public int Count { get; private set; }

    public int ExitCode { get; private set; } = ExitCodes.Success;

    /// <summary>Reports the failure; true when it stops the whole run (the server unreachable, a bad key).</summary>
    public bool Record(Failure failure)
    {
        run.Diagnostics.Fail(failure);
        Count++;
        ExitCode = ExitCodes.Worst(ExitCode, failure.ExitCode);
        return failure.StopsEverything;
    }
}
