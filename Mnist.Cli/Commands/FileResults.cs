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
        var (exitCode, predicted, failed) = (ExitCodes.Success, 0, 0);
        await foreach (var (file, prediction, failure) in results.ConfigureAwait(false))
        {
            if (failure is null)
            {
                run.Results.FilePrediction(file, prediction!);
                predicted++;
                continue;
            }

            run.Diagnostics.Fail(failure);
            failed++;
            exitCode = ExitCodes.Worst(exitCode, failure.ExitCode);
            if (failure.StopsEverything)
            {
                await stop.CancelAsync().ConfigureAwait(false);
                return exitCode;
            }
        }

        if (fileCount > 1)
        {
            run.Results.FilesSummary(fileCount, predicted, failed);
        }

        return exitCode;
    }
}
