using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Mnist.Cli.Help;

/// <summary>The standard help, followed by <see cref="HelpText"/>'s sections for the command asked about.</summary>
internal sealed class HelpWithExamplesAction(HelpAction standard) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        var exitCode = standard.Invoke(parseResult);
        HelpText.WriteSections(parseResult.CommandResult.Command, parseResult.InvocationConfiguration.Output);
        return exitCode;
    }
}
