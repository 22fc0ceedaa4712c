using System.Globalization;
using Mnist.Cli.Calls;
using Mnist.Cli.Input;
using Mnist.V1;
using Grpc.Core;

namespace Mnist.Cli.Commands;

/// <summary>Predicts MNIST test images by id and reports which were wrong and the accuracy.</summary>
internal static class PredictTestSamples
{
    public static async Task<int> RunAsync(CommandRun run, int[] ids, int maxInFlight, CancellationToken cancellationToken)
    {
        using var _ = run;
        run.Diagnostics.Note($"predicting {ids.Length} test image(s) on {run.Settings.Server.Uri}, {maxInFlight} at a time, deadline {run.Settings.Timeout} each");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var failures = new FailureTally(run);
        var (predicted, correct) = (0, 0);
        run.Results.TestSamplesHeader();
        await foreach (var (sample, failure) in OrderedConcurrency.RunAsync(ids, maxInFlight, (id, token) => PredictAsync(run, id, token), stop.Token))
        {
            if (failure is null)
            {
                run.Results.TestSample(sample!);
                predicted++;
                correct += sample!.Correct ? 1 : 0;
                continue;
            }

            if (failures.Record(failure))
            {
                await stop.CancelAsync().ConfigureAwait(false);
                return failures.ExitCode;
            }
        }

        run.Results.TestSamplesSummary(predicted, correct, failures.Count);
        return failures.ExitCode;
    }

    private static async Task<(TestSamplePrediction? Sample, Failure? Failure)> PredictAsync(CommandRun run, int id, CancellationToken cancellationToken)
    {
        try
        {
            var request = new PredictTestSampleRequest { Id = id };
            return (await run.Client.PredictTestSampleAsync(request, run.CallOptions(cancellationToken)).ConfigureAwait(false), null);
        }
        catch (RpcException e)
        {
            return (null, FailureClassifier.Classify(e, "test id " + id.ToString(CultureInfo.InvariantCulture), aboutFile: false, run.Settings));
        }
    }
}
