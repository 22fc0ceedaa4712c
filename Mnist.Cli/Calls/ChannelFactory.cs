using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;

namespace Mnist.Cli.Calls;

/// <summary>
/// The channel to the server: h2c for http://, TLS for https:// (verified against the system's roots, or only
/// against <c>--ca-file</c> when given), with a client certificate when <c>--cert</c>/<c>--key</c> are given.
/// </summary>
internal static class ChannelFactory
{
    public static GrpcChannel Create(CallSettings settings)
    {
        var credentials = settings.Credentials;
        var https = settings.Server.Uri.Scheme == Uri.UriSchemeHttps;
        if ((credentials.CertFile is null) != (credentials.KeyFile is null))
        {
            throw new CredentialsException("--cert and --key go together: give both, or neither");
        }

        if (!https && (credentials.CaFile ?? credentials.CertFile) is not null)
        {
            throw new CredentialsException($"--ca-file, --cert and --key need an https:// server, not {settings.Server}");
        }

        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (credentials.CaFile is { } caFile)
        {
            var authorities = Read(caFile, "--ca-file", path =>
            {
                var collection = new X509Certificate2Collection();
                collection.ImportFromPemFile(path);
                return collection.Count > 0 ? collection : throw new CryptographicException("no certificate in it");
            });
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                IsTrusted(certificate as X509Certificate2, errors, authorities);
        }

        if (credentials.CertFile is { } certFile)
        {
            var client = Read(certFile, "--cert", path => X509Certificate2.CreateFromPemFile(path, credentials.KeyFile));
            handler.SslOptions.ClientCertificates = [client];
        }

        return GrpcChannel.ForAddress(settings.Server.Uri, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    /// <summary>True when the server is this machine: plaintext to it crosses no network.</summary>
    public static bool IsLoopback(Uri server) =>
        server.IsLoopback || (IPAddress.TryParse(server.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    // Only the given CAs are roots; the name must still match the server's address.
    private static bool IsTrusted(X509Certificate2? certificate, SslPolicyErrors errors, X509Certificate2Collection authorities)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    private static T Read<T>(string path, string option, Func<string, T> load)
    {
        try
        {
            return load(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new CredentialsException($"{option}: cannot use '{path}': {e.Message}");
        }
    }
}
