using System.CommandLine;
using Grpc.Core;
using Mnist.Cli.Calls;
using Mnist.Cli.Help;
using Mnist.V1;

namespace Mnist.Cli.Commands;

/// <summary><c>mnist model</c>: the loaded model's card (GetModel): accuracy, training, per-digit figures, confusions.</summary>
internal static class ModelCommand
{
    public static Command Create(CommonOptions common, CliEnvironment environment)
    {
        var command = new Command("model", "Show the model card of the loaded model: accuracy, training run, confusion matrix, most confused test images");
        command.SetAction((parseResult, cancellationToken) => RunAsync(new CommandRun(common.Read(parseResult), environment), cancellationToken));
        HelpText.AddExamples(command,
            ("mnist model", "the card of the model served at localhost:50051"),
            ("mnist model --json | jq .testAccuracy", "the accuracy, for a script"),
            ("mnist model --json | jq '.mostConfused[].id'", "ids to look at with mnist predict --test-id"));
        return command;
    }

    private static async Task<int> RunAsync(CommandRun run, CancellationToken cancellationToken)
    {
        using var _ = run;
        run.Diagnostics.Note($"asking {run.Settings.Server.Uri} for its model card (deadline {run.Settings.Timeout})");
        ModelInfo card;
        try
        {
            card = await run.Client.GetModelAsync(new GetModelRequest(), run.CallOptions(cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            var failure = FailureClassifier.Classify(e, "model card", aboutFile: false, run.Settings);
            run.Diagnostics.Fail(failure);
            return failure.ExitCode;
        }

        run.Results.Model(card);
        return ExitCodes.Success;
    }
}
