using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Mnist.Tests;

/// <summary>
/// A certificate authority made in the test (System.Security.Cryptography, ECDSA P-256), the server certificates it
/// signs for 127.0.0.1 and localhost, and client certificates for mTLS, written as PEM files in a temporary folder.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly X509Certificate2 _ca;

    public TestCertificates(string name = "Mnist Test CA")
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("mnist-tls-").FullName;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddDays(2));
        CaFile = Path.Combine(Directory, "ca.pem");
        File.WriteAllText(CaFile, _ca.ExportCertificatePem());
    }

    public string Directory { get; }

    public string CaFile { get; }

    public X509Certificate2 Ca => _ca;

    /// <summary>A server certificate for 127.0.0.1 and localhost, as (cert.pem, key.pem) under <paramref name="stem"/>.</summary>
    public (string CertFile, string KeyFile, X509Certificate2 Certificate) IssueServer(string stem = "server") =>
        Issue(stem, "CN=localhost", serverAuth: true);

    /// <summary>A client certificate with the given subject, for mTLS.</summary>
    public (string CertFile, string KeyFile, X509Certificate2 Certificate) IssueClient(string commonName) =>
        Issue("client-" + commonName, "CN=" + commonName, serverAuth: false);

    /// <summary>The client certificate with its key, for an <see cref="HttpClientHandler"/>.</summary>
    public static X509Certificate2 Load(string certFile, string keyFile) => X509Certificate2.CreateFromPemFile(certFile, keyFile);

    public void Dispose()
    {
        _ca.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private (string, string, X509Certificate2) Issue(string stem, string subject, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var signed = request.Create(_ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), serial);
        var certificate = signed.CopyWithPrivateKey(key);
        var certFile = Path.Combine(Directory, stem + ".pem");
        var keyFile = Path.Combine(Directory, stem + "-key.pem");
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        return (certFile, keyFile, certificate);
    }
}
