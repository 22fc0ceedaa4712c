using System.CommandLine;
using Mnist.Cli.Calls;
using Mnist.Cli.Help;
using Mnist.V1;
using Grpc.Core;

namespace Mnist.Cli.Commands;

/// <summary><c>mnist health</c>: the server's status and model version; exit 0 only when SERVING.</summary>
internal static class HealthCommand
{
    public static Command Create(CommonOptions common, CliEnvironment environment)
    {
        var command = new Command("health", "Show whether the server is serving and which model it loaded (exit 0 only when SERVING)");
        command.SetAction((parseResult, cancellationToken) => RunAsync(new CommandRun(common.Read(parseResult), environment), cancellationToken));
        HelpText.AddExamples(command,
            ("mnist health", "status of the server at localhost:50051"),
            ("mnist health -s mnist.example.com:443 --timeout 2s", "probe another server with a short deadline"),
            ("mnist health --json | jq -r .modelVersion", "the model version, for a script"));
        return command;
    }

    private static async Task<int> RunAsync(CommandRun run, CancellationToken cancellationToken)
    {
        using var _ = run;
        run.Diagnostics.Note($"asking {run.Settings.Server.Uri} for its health (deadline {run.Settings.Timeout})");
        HealthResponse health;
        try
        {
            health = await run.Client.HealthAsync(new HealthRequest(), run.CallOptions(cancellationToken)).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            var failure = FailureClassifier.ClassifyHealth(e, run.Settings);
            run.Diagnostics.Fail(failure);
            return failure.ExitCode;
        }

        run.Results.Health(run.Settings.Server, health);
        return health.Status == HealthResponse.Types.Status.Serving ? ExitCodes.Success : ExitCodes.ServerUnavailable;
    }
}
