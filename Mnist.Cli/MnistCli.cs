using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;
using Mnist.Cli.Calls;
using Mnist.Cli.Commands;
using Mnist.Cli.Help;
using Mnist.Cli.Output;

namespace Mnist.Cli;

/// <summary>The <c>mnist</c> command line, runnable in-process: parse, validate, invoke, return the exit code.</summary>
public static class MnistCli
{
    /// <summary>The tool's version (informational, without the commit suffix).</summary>
    public static string Version { get; } =
        typeof(MnistCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Runs <c>mnist</c> with <paramref name="args"/>, writing to the given writers.</summary>
    /// <param name="stdin">What <c>-</c> reads; the process's standard input when null.</param>
    /// <returns>The exit code (see <see cref="ExitCodes"/>).</returns>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Stream? stdin = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var environment = new CliEnvironment(
            stdout, stderr, stdin is null ? Console.OpenStandardInput : () => stdin, Environment.GetEnvironmentVariable, Colour: false);
        return RunAsync(args, environment);
    }

    internal static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        var root = CreateRootCommand(environment);
        var parseResult = root.Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            return ReportUsageErrors(parseResult, environment.Error);
        }

        // Our own handler: unusable credentials are a usage error with one line, not a stack trace.
        var configuration = new InvocationConfiguration { Output = environment.Output, Error = environment.Error, EnableDefaultExceptionHandler = false };
        try
        {
            return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Interrupted;
        }
        catch (CredentialsException e)
        {
            environment.Error.WriteLine(Diagnostics.Prefix + e.Message);
            return ExitCodes.UsageError;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // What System.CommandLine's default handler did: a bug's full report, exit 1.
            environment.Error.WriteLine(Diagnostics.Prefix + "unexpected error: " + e);
            return ExitCodes.CallFailed;
        }
    }

    internal static RootCommand CreateRootCommand(CliEnvironment environment)
    {
        var common = new CommonOptions(environment.GetVariable);
        var root = new RootCommand("mnist: classify handwritten digits with the Mnist gRPC service");
        foreach (var option in common.All)
        {
            root.Options.Add(option);
        }

        root.Subcommands.Add(PredictCommand.Create(common, environment));
        root.Subcommands.Add(HealthCommand.Create(common, environment));
        root.Subcommands.Add(ModelCommand.Create(common, environment));
        HelpText.AddExamples(root,
            ("mnist predict digit.png", "prints: digit.png: 7 (99.2%)"),
            ("mnist predict --test-ids 0..99", "accuracy on the first 100 test images"),
            ("mnist health --server http://mnist:50051", "is the server serving, with which model"),
            ("mnist model", "the model card: accuracy, training run, confusion matrix"));
        root.SetAction(parseResult =>
        {
            environment.Error.WriteLine(Diagnostics.Prefix + "a command is required: predict, health or model");
            environment.Error.WriteLine("Try 'mnist --help' for more information.");
            return ExitCodes.UsageError;
        });
        HelpText.Install(root);
        root.Options.OfType<VersionOption>().Single().Action = new VersionAction();
        return root;
    }

    // One "mnist: ..." line per error and a pointer to help, instead of the full help page: exit 2.
    private static int ReportUsageErrors(ParseResult parseResult, TextWriter error)
    {
        foreach (var parseError in parseResult.Errors)
        {
            error.WriteLine(Diagnostics.Prefix + parseError.Message);
        }

        var command = string.Join(' ', parseResult.CommandResult.Command is RootCommand ? ["mnist"] : ["mnist", parseResult.CommandResult.Command.Name]);
        error.WriteLine($"Try '{command} --help' for more information.");
        return ExitCodes.UsageError;
    }
}
