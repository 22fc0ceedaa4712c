using Google.Protobuf;
using Mnist.Cli.Calls;
using Mnist.Cli.Input;
using Mnist.V1;
using Grpc.Core;

namespace Mnist.Cli.Commands;

/// <summary>Sends image files concurrently and prints one line per file in the order given.</summary>
internal static class PredictFiles
{
    public static async Task<int> RunAsync(CommandRun run, string[] files, int maxInFlight, CancellationToken cancellationToken)
    {
        using var _ = run;
        run.Diagnostics.Note($"predicting {files.Length} file(s) on {run.Settings.Server.Uri}, {maxInFlight} at a time, deadline {run.Settings.Timeout} each");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        return await FileResults.ReportAsync(
            run, files.Length, OrderedConcurrency.RunAsync(files, maxInFlight, (file, token) => PredictAsync(run, file, token), stop.Token), stop).ConfigureAwait(false);
    }

    private static async Task<(string File, Prediction? Prediction, Failure? Failure)> PredictAsync(CommandRun run, string file, CancellationToken cancellationToken)
    {
        var (bytes, readFailure) = await ImageFile.ReadAsync(file, run.Environment.OpenInput, cancellationToken).ConfigureAwait(false);
        if (readFailure is not null)
        {
            return (file, null, readFailure);
        }

        try
        {
            // The bytes are never touched again, so the request can wrap them instead of copying.
            var request = new PredictRequest { Image = UnsafeByteOperations.UnsafeWrap(bytes) };
            var prediction = await run.Client.PredictAsync(request, run.CallOptions(cancellationToken)).ConfigureAwait(false);
            return (file, prediction, null);
        }
        catch (RpcException e)
        {
            return (file, null, FailureClassifier.Classify(e, file, aboutFile: true, run.Settings));
        }
    }
}
