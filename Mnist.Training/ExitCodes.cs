namespace Mnist.Training;

/// <summary>The trainer's process exit codes, for the Job's restart policy and for scripts.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadArguments = 2;
    public const int BadData = 3;
    public const int ModelDirectoryNotWritable = 4;

    /// <summary>Stopped by SIGINT/SIGTERM (128 + SIGINT, the shell convention).</summary>
    public const int Cancelled = 130;
}
