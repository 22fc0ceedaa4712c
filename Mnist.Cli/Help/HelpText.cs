using System.CommandLine;
using System.CommandLine.Help;
using System.Runtime.CompilerServices;

namespace Mnist.Cli.Help;

/// <summary>What the help pages add after System.CommandLine's usage and options: examples, environment, exit codes.</summary>
internal static class HelpText
{
    private static readonly ConditionalWeakTable<Command, (string Line, string Comment)[]> Examples = [];

    public const string ExitCodesSection = """
        Exit codes:
          0    success
          1    a prediction call failed (deadline exceeded, server error)
          2    usage error (unknown option, bad value, nothing to predict)
          3    server unreachable, or not serving (no model loaded)
          4    a file could not be read or is not a PNG/JPEG image
          130  interrupted (Ctrl-C)
          When inputs fail for different reasons, the first that applies of 3, 1, 4 wins.
        """;

    public const string EnvironmentSection = $$"""
        Environment:
          {{CommonOptions.ServerVariable}}  default for --server (else localhost:50051)
          NO_COLOR      no colour even on a terminal (none is used when output is not a terminal)

        Shell completion (bash; add to ~/.bashrc, no dotnet-suggest needed):
          _mnist() { local IFS=$'\n'; COMPREPLY=($(mnist "[suggest:$COMP_POINT]" "$COMP_LINE" 2>/dev/null)); }
          complete -o default -F _mnist mnist
        """;

    public static void AddExamples(Command command, params (string Line, string Comment)[] examples) =>
        Examples.AddOrUpdate(command, examples);

    /// <summary>Makes every --help (it is recursive) print the extra sections of the command it is about.</summary>
    public static void Install(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithExamplesAction((HelpAction)help.Action!);
    }

    public static void WriteSections(Command command, TextWriter output)
    {
        if (Examples.TryGetValue(command, out var examples))
        {
            output.WriteLine("Examples:");
            var width = examples.Max(e => e.Line.Length);
            foreach (var (line, comment) in examples)
            {
                output.WriteLine($"  {line.PadRight(width)}  # {comment}");
            }

            output.WriteLine();
        }

        if (command is RootCommand)
        {
            output.WriteLine(EnvironmentSection);
            output.WriteLine();
        }

        output.WriteLine(ExitCodesSection);
    }
}
