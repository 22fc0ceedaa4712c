using System.CommandLine;
using System.CommandLine.Invocation;

namespace Mnist.Cli.Help;

/// <summary>--version prints this tool's version (the default would print the entry assembly's, e.g. a test host's).</summary>
internal sealed class VersionAction : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.WriteLine(MnistCli.Version);
        return ExitCodes.Success;
    }
}
