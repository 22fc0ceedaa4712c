using System.ComponentModel.DataAnnotations;

namespace Mnist.Inference.Grpc.Hosting;

/// <summary>
/// The server's settings, bound from configuration: appsettings.json, then environment variables
/// (<c>GRPC_PORT</c>, <c>HTTP_PORT</c>, <c>MODEL_DIR</c>, <c>DATA_DIR</c>), then the command line
/// (<c>--GRPC_PORT 50052</c>).
/// </summary>
public sealed class ServerOptions
{
    public const int DefaultGrpcPort = 50051;
    public const int DefaultHttpPort = 8080;
    public const string DefaultModelDir = "/models";

    /// <summary>The h2c (HTTP/2 only) port that serves gRPC.</summary>
    [ConfigurationKeyName("GRPC_PORT")]
    [Range(0, 65535)]
    public int GrpcPort { get; set; } = DefaultGrpcPort;

    /// <summary>The HTTP/1.1 port that serves REST, the web page and HTTP probes (HTTP/1.1 and h2 with TLS).</summary>
    [ConfigurationKeyName("HTTP_PORT")]
    [Range(0, 65535)]
    public int HttpPort { get; set; } = DefaultHttpPort;

    /// <summary>The trainer's volume: holds model.dat and model.json.</summary>
    [ConfigurationKeyName("MODEL_DIR")]
    [Required]
    public string ModelDir { get; set; } = DefaultModelDir;

    /// <summary>Where the MNIST test set (t10k files) is; defaults to the copy shipped beside the server.</summary>
    [ConfigurationKeyName("DATA_DIR")]
    public string DataDir { get; set; } = Path.Combine(AppContext.BaseDirectory, "data", "mnist");

    /// <summary>How often the model directory is re-checked, besides file-system events (network volumes may not raise them).</summary>
    [ConfigurationKeyName("MODEL_POLL_SECONDS")]
    [Range(0.1, 3600)]
    public double ModelPollSeconds { get; set; } = 2;

    /// <summary>How long in-flight calls may take to finish after SIGTERM.</summary>
    [ConfigurationKeyName("DRAIN_SECONDS")]
    [Range(0, 300)]
    public double DrainSeconds { get; set; } = 10;

    /// <summary>Largest image side accepted, checked from the header before decoding.</summary>
    [ConfigurationKeyName("MAX_IMAGE_SIDE")]
    [Range(28, Mnist.Model.Imaging.ImageLimits.MaxConfigurableSide)]
    public int MaxImageSide { get; set; } = Mnist.Model.Imaging.ImageLimits.DefaultMaxSide;

    /// <summary>
    /// Most pixels (width x height) accepted, checked from the header before decoding: what one decode may cost
    /// (docs/operating.md, "Resource bounds"). The default reads a 12 MP photo.
    /// </summary>
    [ConfigurationKeyName("MAX_IMAGE_PIXELS")]
    [Range(784, Mnist.Model.Imaging.ImageLimits.MaxConfigurablePixels)]
    public long MaxImagePixels { get; set; } = Mnist.Model.Imaging.ImageLimits.DefaultMaxPixels;

    /// <summary>
    /// Most images gathered into one forward pass. Measured on 2 cores (Mnist.Benchmarks engine --threads 1,
    /// channels-last): about 260 us per image at batch 1, 160 us at 8, 150 us at 16, 170 us at 64 and more. Each
    /// worker keeps the working memory of its biggest batch (oneDNN's NHWC convolutions, about 40 MB at 16). So 8:
    /// bench/server-load.sh at steady state gave the same req/s at 128 in flight as 16 (0.97-1.03x) with 13 MiB
    /// less RSS, and with workstation GC 33 MiB less.
    /// </summary>
    [ConfigurationKeyName("BATCH_MAX_SIZE")]
    [Range(1, 1024)]
    public int BatchMaxSize { get; set; } = 8;

    /// <summary>
    /// Longest a forming batch waits for the calls the last batch suggests are coming (0: never wait): about a
    /// loopback round trip, the time answered callers take to send their next request. A lone call on an idle
    /// server never waits; under heavy load the queue fills during each forward and nobody waits either.
    /// </summary>
    [ConfigurationKeyName("BATCH_MAX_WAIT_MICROSECONDS")]
    [Range(0, 100_000)]
    public int BatchMaxWaitMicroseconds { get; set; } = 200;

    /// <summary>Forward passes that may run at once (default: one per core).</summary>
    [ConfigurationKeyName("BATCH_WORKERS")]
    [Range(1, 1024)]
    public int BatchWorkers { get; set; } = Environment.ProcessorCount;

    /// <summary>libtorch's intra-op threads for each forward pass (default: 1, as the workers already fill the cores).</summary>
    [ConfigurationKeyName("TORCH_THREADS")]
    [Range(1, 1024)]
    public int TorchThreads { get; set; } = 1;

    /// <summary>
    /// Prometheus metrics at GET /metrics on the HTTP port. Off: no endpoint and no listener, so the instruments
    /// record nothing (bench/server-load.sh --metrics-off-too measures the difference).
    /// </summary>
    [ConfigurationKeyName("METRICS_ENABLED")]
    public bool MetricsEnabled { get; set; } = true;

    /// <summary>The plaintext HTTP/1.1 port of GET /metrics, and nothing else: never the public HTTP port.</summary>
    [ConfigurationKeyName("METRICS_PORT")]
    [Range(0, 65535)]
    public int MetricsPort { get; set; } = 9090;

    /// <summary>gRPC server reflection (grpcurl lists and describes the services) on the gRPC port.</summary>
    [ConfigurationKeyName("GRPC_REFLECTION_ENABLED")]
    public bool GrpcReflectionEnabled { get; set; } = true;
}
