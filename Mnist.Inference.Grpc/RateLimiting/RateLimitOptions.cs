using System.ComponentModel.DataAnnotations;

namespace Mnist.Inference.Grpc.RateLimiting;

/// <summary>
/// Per-caller rate limits, off unless <c>RATE_LIMIT_PER_SECOND</c> is set: a token bucket per API key (or per
/// client certificate, or per client address when neither is on).
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Calls per second each caller may sustain; 0: no limit.</summary>
    [ConfigurationKeyName("RATE_LIMIT_PER_SECOND")]
    [Range(0, 1_000_000)]
    public int PerSecond { get; set; }

    /// <summary>Calls a caller may make at once after being idle (the bucket's size); 0: one second's worth.</summary>
    [ConfigurationKeyName("RATE_LIMIT_BURST")]
    [Range(0, 1_000_000)]
    public int Burst { get; set; }

    public bool Enabled => PerSecond > 0;

    public int BucketSize => Burst > 0 ? Burst : PerSecond;
}
