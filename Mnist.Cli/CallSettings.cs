using Mnist.Cli.Parsing;

namespace Mnist.Cli;

/// <summary>The common options of one invocation, resolved.</summary>
internal sealed record CallSettings(ServerAddress Server, Duration Timeout, bool Json, bool Verbose, Credentials Credentials);
