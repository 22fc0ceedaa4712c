using Mnist.Cli.Calls;

namespace Mnist.Cli.Output;

/// <summary>stderr: one <c>mnist: ...</c> line per failure; with --verbose, progress notes and full error details.</summary>
internal sealed class Diagnostics(TextWriter error, bool verbose)
{
    public const string Prefix = "mnist: ";

    public void Fail(Failure failure)
    {
        error.WriteLine(Prefix + failure.Message);
        if (verbose && failure.Cause is not null)
        {
            error.WriteLine(failure.Cause.ToString());
        }
    }

    public void Note(string message)
    {
        if (verbose)
        {
            error.WriteLine(Prefix + message);
        }
    }
}
