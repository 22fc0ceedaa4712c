using System.ComponentModel.DataAnnotations;

namespace Mnist.Inference.Grpc.Admission;

/// <summary>
/// What one replica takes on at once, so that its memory stays under the pod's limit (512 MiB) whatever arrives.
/// The defaults and their arithmetic are in docs/operating.md ("Resource bounds").
/// </summary>
public sealed class AdmissionOptions
{
    /// <summary>Calls (gRPC and REST, health and metrics aside) admitted at once; the next one is refused at once.</summary>
    [ConfigurationKeyName("MAX_CONCURRENT_CALLS")]
    [Range(1, 100_000)]
    public int MaxConcurrentCalls { get; set; } = 1024;

    /// <summary>
    /// Request bytes the admitted calls may hold at once: the declared Content-Length, or for a body of unknown
    /// length the bytes as they arrive.
    /// </summary>
    [ConfigurationKeyName("MAX_ADMITTED_REQUEST_BYTES")]
    [Range(64 * 1024, 4L * 1024 * 1024 * 1024)]
    public long MaxAdmittedRequestBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Images decoded at once (default: one per core); each may take up to what MAX_IMAGE_PIXELS allows.</summary>
    [ConfigurationKeyName("DECODE_SLOTS")]
    [Range(1, 1024)]
    public int DecodeSlots { get; set; } = Environment.ProcessorCount;

    /// <summary>How long a call waits for a decode slot before it is refused with RESOURCE_EXHAUSTED.</summary>
    [ConfigurationKeyName("DECODE_SLOT_WAIT_MILLISECONDS")]
    [Range(0, 60_000)]
    public int DecodeSlotWaitMilliseconds { get; set; } = 250;

    /// <summary>Images waiting for a forward pass at once; beyond it a call is refused with RESOURCE_EXHAUSTED.</summary>
    [ConfigurationKeyName("MAX_QUEUED_IMAGES")]
    [Range(1, 1_000_000)]
    public int MaxQueuedImages { get; set; } = 1024;

    /// <summary>Open connections on all ports together (Kestrel's MaxConcurrentConnections).</summary>
    [ConfigurationKeyName("MAX_CONNECTIONS")]
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 512;

    /// <summary>HTTP/2 streams (calls) each connection may have open at once; more wait in the client.</summary>
    [ConfigurationKeyName("MAX_STREAMS_PER_CONNECTION")]
    [Range(1, 10_000)]
    public int MaxStreamsPerConnection { get; set; } = 100;

    public TimeSpan DecodeSlotWait => TimeSpan.FromMilliseconds(DecodeSlotWaitMilliseconds);
}
