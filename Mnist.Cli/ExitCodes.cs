namespace Mnist.Cli;

/// <summary>The process exit codes of <c>mnist</c>; scripts depend on them, so they never change meaning.</summary>
public static class ExitCodes
{
    /// <summary>Everything asked for was done.</summary>
    public const int Success = 0;

    /// <summary>A prediction call failed: deadline exceeded, a server error, a test id the server refused.</summary>
    public const int CallFailed = 1;

    /// <summary>The command line was wrong: unknown option, bad value, missing input.</summary>
    public const int UsageError = 2;

    /// <summary>The server could not be reached, or it is up but not serving (no model loaded).</summary>
    public const int ServerUnavailable = 3;

    /// <summary>A file could not be read, or it is not a PNG/JPEG image the server can decode.</summary>
    public const int BadInput = 4;

    /// <summary>Interrupted by Ctrl-C (SIGINT), as shells report it: 128 + 2.</summary>
    public const int Interrupted = 130;

    /// <summary>When inputs fail for different reasons, the more serious code wins: 3, then 1, then 4.</summary>
    internal static int Worst(int current, int next) => Rank(next) > Rank(current) ? next : current;

    private static int Rank(int code) => code switch
    {
        Success => 0,
        BadInput => 1,
        CallFailed => 2,
        ServerUnavailable => 3,
        _ => 4,
    };
}
