using Mnist.Cli.Calls;
using Mnist.V1;

namespace Mnist.Cli.Commands;

/// <summary>
/// Prints file results in the order given, however they were sent (one call each, or batches): a line per file, a
/// failure's one-line message, the summary for several files, and the worst exit code. A failure that stops everything
/// (the server unreachable, a bad key) ends the run at once.
/// </summary>
internal static class FileResults
{
    public static async Task<int> ReportAsync(
        CommandRun run, int fileCount, IAsyncEnumerable<(string File, Prediction? Prediction, Failure? Failure)> results, CancellationTokenSource stop)
    {
        var failures = new FailureTally(run);
        var predicted = 0;
        await foreach (var (file, prediction, failure) in results.ConfigureAwait(false))
        {
            if (failure is null)
            {
                run.Results.FilePrediction(file, prediction!);
                predicted++;
                continue;
            }

            if (failures.Record(failure))
            {
                await stop.CancelAsync().ConfigureAwait(false);
                return failures.ExitCode;
            }
        }

        if (fileCount > 1)
        {
            run.Results.FilesSummary(fileCount, predicted, failures.Count);
        }

        return failures.ExitCode;
    }
}
