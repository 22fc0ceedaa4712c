namespace Mnist.Cli.Calls;

/// <summary>The credentials given cannot be used (a missing file, --cert without --key): a usage error, exit 2.</summary>
internal sealed class CredentialsException(string message) : Exception(message);
