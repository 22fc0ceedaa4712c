using System.ComponentModel.DataAnnotations;

namespace Mnist.Inference.Grpc.Batching;

/// <summary>The dynamic batcher's shape (docs/performance.md has the measurements behind the defaults).</summary>
public sealed class BatchingOptions
{
    /// <summary>
    /// Most images gathered into one forward pass. Each worker keeps the working memory of its biggest batch, and
    /// past 8 a forward gains little per image on two cores.
    /// </summary>
    [ConfigurationKeyName("BATCH_MAX_SIZE")]
    [Range(1, 1024)]
    public int MaxSize { get; set; } = 8;

    /// <summary>
    /// Longest a forming batch waits for the calls the last batch suggests are coming (0: never wait): about a
    /// loopback round trip. A lone call on an idle server never waits.
    /// </summary>
    [ConfigurationKeyName("BATCH_MAX_WAIT_MICROSECONDS")]
    [Range(0, 100_000)]
    public int MaxWaitMicroseconds { get; set; } = 200;

    /// <summary>Forward passes that may run at once (default: one per core).</summary>
    [ConfigurationKeyName("BATCH_WORKERS")]
    [Range(1, 1024)]
    public int Workers { get; set; } = Environment.ProcessorCount;

    /// <summary>libtorch's intra-op threads for each forward pass (default: 1, as the workers already fill the cores).</summary>
    [ConfigurationKeyName("TORCH_THREADS")]
    [Range(1, 1024)]
    public int TorchThreads { get; set; } = 1;
}
