using System.ComponentModel.DataAnnotations;

namespace Mnist.Inference.Grpc.Tls;

/// <summary>
/// TLS on the gRPC and HTTP ports, off unless <c>TLS_CERT_FILE</c> and <c>TLS_KEY_FILE</c> (PEM) are set; mTLS when
/// <c>TLS_CLIENT_CA_FILE</c> is set too. The files are re-read when they change (cert-manager rotates them in place).
/// </summary>
public sealed class TlsOptions : IValidatableObject
{
    public const int DefaultProbePort = 50052;

    /// <summary>The server's certificate, PEM, optionally followed by its intermediates.</summary>
    [ConfigurationKeyName("TLS_CERT_FILE")]
    public string? CertFile { get; set; }

    /// <summary>The certificate's private key, PEM (PKCS#8, PKCS#1 or SEC1).</summary>
    [ConfigurationKeyName("TLS_KEY_FILE")]
    public string? KeyFile { get; set; }

    /// <summary>CA certificates (PEM) that client certificates must chain to; set: every client needs one (mTLS).</summary>
    [ConfigurationKeyName("TLS_CLIENT_CA_FILE")]
    public string? ClientCaFile { get; set; }

    /// <summary>How often the files are checked for a change.</summary>
    [ConfigurationKeyName("TLS_POLL_SECONDS")]
    [Range(0.05, 3600)]
    public double PollSeconds { get; set; } = 10;

    /// <summary>
    /// With TLS on: a plaintext h2c port that serves only grpc.health.v1, for the kubelet's gRPC probe (which cannot
    /// speak TLS). 0: none.
    /// </summary>
    [ConfigurationKeyName("GRPC_PROBE_PORT")]
    [Range(0, 65535)]
    public int ProbePort { get; set; } = DefaultProbePort;

    public bool Enabled => !string.IsNullOrWhiteSpace(CertFile);

    public bool ClientCertificatesRequired => Enabled && !string.IsNullOrWhiteSpace(ClientCaFile);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(CertFile) != string.IsNullOrWhiteSpace(KeyFile))
        {
            yield return new ValidationResult("TLS_CERT_FILE and TLS_KEY_FILE go together: set both or neither.");
        }

        if (!Enabled && !string.IsNullOrWhiteSpace(ClientCaFile))
        {
            yield return new ValidationResult("TLS_CLIENT_CA_FILE needs TLS on: set TLS_CERT_FILE and TLS_KEY_FILE too.");
        }
    }
}
