namespace Mnist.Cli.Calls;

/// <summary>Why one input or call failed: the exit code it earns and the one line that explains it.</summary>
/// <param name="StopsEverything">True when every further call would fail the same way (server unreachable).</param>
internal sealed record Failure(int ExitCode, string Message, Exception? Cause = null, bool StopsEverything = false);
