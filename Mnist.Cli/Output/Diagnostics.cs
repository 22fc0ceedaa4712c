using Mnist.Cli.Calls;

namespace Mnist.Cli.Output;

/// <summary>stderr: one <c>mnist: ...</c> line per failure; with --verbose, progress notes and full error details.</summary>
internal sealed class Diagnostics(TextWriter error, bool verbose)
{
    public const string Prefix = "mnist: ";

    public void Fail(Failure failure)
    {
        // Failure messages quote the server's status detail.
        error.WriteLine(Prefix + TerminalText.Escape(failure.Message));
        if (verbose && failure.Cause is not null)
        {
            error.WriteLine(failure.Cause.ToString());
        }
    }

    /// <summary>Always shown, even without --verbose.</summary>
    public void Warn(string message) => error.WriteLine(Prefix + "warning: " + message);

    public void Note(string message)
    {
        if (verbose)
        {
            error.WriteLine(Prefix + message);
        }
    }
}
