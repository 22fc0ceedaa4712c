using System.ComponentModel.DataAnnotations;

namespace Mnist.Inference.Grpc.Access;

/// <summary>API keys: off unless <c>API_KEYS_FILE</c> is set (docs/securing.md).</summary>
public sealed class AccessOptions
{
    /// <summary>
    /// One key per line, <c>name:key</c> or <c>name:sha256:HEX</c> (the key's SHA-256 in hex); blank lines and
    /// <c>#</c> comments are ignored. When set, every call but health needs one of the keys.
    /// </summary>
    [ConfigurationKeyName("API_KEYS_FILE")]
    public string? ApiKeysFile { get; set; }

    /// <summary>How often the file is re-read: a rotated Secret takes effect within this time, without a restart.</summary>
    [ConfigurationKeyName("API_KEYS_POLL_SECONDS")]
    [Range(0.05, 3600)]
    public double ApiKeysPollSeconds { get; set; } = 5;

    public bool Enabled => !string.IsNullOrWhiteSpace(ApiKeysFile);
}
