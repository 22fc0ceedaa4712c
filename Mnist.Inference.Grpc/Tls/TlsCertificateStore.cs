using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Mnist.Inference.Grpc.Tls;

/// <summary>
/// The server's certificate (with its chain, as an <see cref="SslStreamCertificateContext"/> built once per file
/// version) and the client CAs, re-read by <see cref="TlsFileWatcher"/>. New connections get the new certificate;
/// open ones keep theirs. A change that does not parse (a half-written rotation) keeps the old files in force.
/// </summary>
internal sealed class TlsCertificateStore
{
    private readonly TlsOptions _options;
    private readonly ILogger<TlsCertificateStore> _logger;
    private volatile Loaded? _current;

    public TlsCertificateStore(IOptions<TlsOptions> options, ILogger<TlsCertificateStore> logger)
    {
        _options = options.Value;
        _logger = logger;
        if (_options.Enabled && !Reload())
        {
            throw new InvalidOperationException("TLS_CERT_FILE / TLS_KEY_FILE / TLS_CLIENT_CA_FILE cannot be loaded; see the log.");
        }
    }

    /// <summary>The certificate now served (for tests and logs).</summary>
    public X509Certificate2? Certificate => _current?.Certificate;

    /// <summary>What one new TLS connection is offered: the current certificate, the ALPN protocols, mTLS or not.</summary>
    public SslServerAuthenticationOptions ServerOptions(List<SslApplicationProtocol> protocols)
    {
        var current = _current ?? throw new InvalidOperationException("TLS is off.");
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = current.Context,
            ApplicationProtocols = protocols,
            ClientCertificateRequired = current.ClientAuthorities is not null,
            RemoteCertificateValidationCallback = current.ClientAuthorities is null ? null : (_, certificate, _, _) =>
                certificate is X509Certificate2 client && IsTrusted(client, current.ClientAuthorities),
        };
    }

    /// <summary>Loads the files if they changed. False when they cannot be read or do not parse.</summary>
    public bool Reload()
    {
        byte[] cert, key, ca;
        try
        {
            cert = File.ReadAllBytes(_options.CertFile!);
            key = File.ReadAllBytes(_options.KeyFile!);
            ca = _options.ClientCertificatesRequired ? File.ReadAllBytes(_options.ClientCaFile!) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TlsLog.FilesUnreadable(_logger, e.GetType().Name);
            return false;
        }

        var fingerprint = SHA256.HashData([.. cert, .. key, .. ca]);
        if (_current is { } current && current.Fingerprint.AsSpan().SequenceEqual(fingerprint))
        {
            return true;
        }

        try
        {
            var certPem = System.Text.Encoding.ASCII.GetString(cert);
            var leaf = X509Certificate2.CreateFromPem(certPem, System.Text.Encoding.ASCII.GetString(key));
            var bundle = new X509Certificate2Collection();
            bundle.ImportFromPem(certPem);
            var intermediates = new X509Certificate2Collection(bundle.Where(c => c.Thumbprint != leaf.Thumbprint).ToArray());
            X509Certificate2Collection? authorities = null;
            if (ca.Length > 0)
            {
                authorities = [];
                authorities.ImportFromPem(System.Text.Encoding.ASCII.GetString(ca));
                if (authorities.Count == 0)
                {
                    throw new CryptographicException("TLS_CLIENT_CA_FILE holds no certificate.");
                }
            }

            var context = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
            _current = new Loaded(leaf, context, authorities, fingerprint);
            TlsLog.CertificateLoaded(_logger, leaf.Subject, leaf.Thumbprint, leaf.NotAfter, authorities?.Count ?? 0);
            return true;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            TlsLog.FilesInvalid(_logger, e.Message);
            return false;
        }
    }

    // The client's chain must end at one of the configured CAs (not the system's roots); no revocation lists.
    private static bool IsTrusted(X509Certificate2 client, X509Certificate2Collection authorities)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid("1.3.6.1.5.5.7.3.2")); // client authentication, if the EKU is present
        return chain.Build(client);
    }

    private sealed record Loaded(X509Certificate2 Certificate, SslStreamCertificateContext Context, X509Certificate2Collection? ClientAuthorities, byte[] Fingerprint);
}
