namespace Mnist.Cli;

/// <summary>
/// How the CLI proves who it is and checks the server: an API key (<c>--api-key</c>, <c>MNIST_API_KEY</c>), a CA
/// file that the server's certificate must chain to (<c>--ca-file</c>), a client certificate and key for mTLS
/// (<c>--cert</c>, <c>--key</c>), all PEM files.
/// </summary>
internal sealed record Credentials(string? ApiKey, string? CaFile, string? CertFile, string? KeyFile)
{
    public static readonly Credentials None = new(null, null, null, null);
}
