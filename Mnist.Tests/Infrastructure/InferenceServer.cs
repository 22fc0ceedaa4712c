using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Mnist.Inference.Grpc.Hosting;
using Mnist.Inference.Grpc.ModelReload;

namespace Mnist.Tests;

/// <summary>
/// The real inference server, wired exactly as Program.cs wires it, on free loopback ports with a temporary
/// MODEL_DIR. Starts with the test model unless told otherwise.
/// </summary>
internal sealed class InferenceServer : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;

    private InferenceServer(WebApplication app, string modelDir, string scheme, int grpcPort, int httpPort, int metricsPort, int probePort)
    {
        _app = app;
        ModelDir = modelDir;
        GrpcAddress = new Uri($"{scheme}://127.0.0.1:{grpcPort}");
        HttpAddress = new Uri($"{scheme}://127.0.0.1:{httpPort}");
        MetricsAddress = new Uri($"http://127.0.0.1:{metricsPort}");
        ProbeAddress = new Uri($"http://127.0.0.1:{probePort}");
        Channel = GrpcChannel.ForAddress(GrpcAddress);
        Client = new V1.Mnist.MnistClient(Channel);
        Health = new Health.HealthClient(Channel);
        Http = new HttpClient { BaseAddress = HttpAddress, Timeout = Timeout };
        Http2 = new HttpClient { BaseAddress = GrpcAddress, Timeout = Timeout };
    }

    /// <summary>The temporary volume; write model.dat here to (re)load a model.</summary>
    public string ModelDir { get; }

    /// <summary>h2c gRPC endpoint.</summary>
    public Uri GrpcAddress { get; }

    /// <summary>HTTP/1.1 REST and web page endpoint.</summary>
    public Uri HttpAddress { get; }

    /// <summary>The plaintext port of GET /metrics.</summary>
    public Uri MetricsAddress { get; }

    /// <summary>With TLS on: the plaintext h2c port of grpc.health.v1 for the kubelet.</summary>
    public Uri ProbeAddress { get; }

    public GrpcChannel Channel { get; }

    public V1.Mnist.MnistClient Client { get; }

    public Health.HealthClient Health { get; }

    public HttpClient Http { get; }

    /// <summary>A raw client for hand-made requests to the gRPC port (see <see cref="CreateGrpcRequest"/>).</summary>
    public HttpClient Http2 { get; }

    public IServiceProvider Services => _app.Services;

    public ModelStore Models => Services.GetRequiredService<ModelStore>();

    /// <param name="withModel">Write the test model before starting.</param>
    /// <param name="settings">Extra configuration, e.g. ("MODEL_POLL_SECONDS", "0.2").</param>
    public static async Task<InferenceServer> StartAsync(bool withModel = true, params (string Key, string Value)[] settings)
    {
        var modelDir = Directory.CreateTempSubdirectory("mnist-models-").FullName;
        if (withModel)
        {
            TestModel.WriteTo(modelDir);
        }

        var grpcPort = FreePort();
        var httpPort = FreePort();
        var metricsPort = FreePort();
        var probePort = FreePort();
        var args = new List<string>
        {
            $"--GRPC_PORT={grpcPort}", $"--HTTP_PORT={httpPort}", $"--MODEL_DIR={modelDir}",
            "--MODEL_POLL_SECONDS=0.2", $"--DATA_DIR={RepoPaths.MnistData}", $"--METRICS_PORT={metricsPort}",
            $"--GRPC_PROBE_PORT={probePort}",
        };
        args.AddRange(settings.Select(s => $"--{s.Key}={s.Value}"));

        var builder = WebApplication.CreateBuilder([.. args]);
        builder.Logging.ClearProviders();
        builder.AddInferenceServer();
        var app = builder.Build();
        app.UseInferencePipeline();
        await app.StartAsync().WaitAsync(Timeout);
        var scheme = settings.Any(s => s.Key == "TLS_CERT_FILE") ? "https" : "http";
        return new InferenceServer(app, modelDir, scheme, grpcPort, httpPort, metricsPort, probePort);
    }

    /// <summary>Waits until the server reports <paramref name="version"/> (or any model when null).</summary>
    public async Task WaitForModelAsync(string? version = null)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (Models.Current is not { } current || (version is not null && current.Version != version))
        {
            await Task.Delay(50, cts.Token);
        }
    }

    /// <summary>
    /// Scrapes GET /metrics until <paramref name="condition"/> holds (bounded by <see cref="Timeout"/>). Request
    /// metrics are recorded as a request ends, just after its client has the answer, and scrapes are cached for a
    /// moment: wait for the condition, then assert exact figures.
    /// </summary>
    public async Task<PrometheusText> ScrapeUntilAsync(Func<PrometheusText, bool> condition)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            var metrics = PrometheusText.Parse(await Http.GetStringAsync(new Uri(MetricsAddress, "/metrics"), timeout.Token));
            if (condition(metrics))
            {
                return metrics;
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    /// <summary>A POST to a gRPC path over h2c with the given body, built by hand.</summary>
    public HttpRequestMessage CreateGrpcRequest(string path, HttpContent? content, string contentType = "application/grpc")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(GrpcAddress, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content ?? new ByteArrayContent([]),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        return request;
    }

    public Task StopAsync() => _app.StopAsync().WaitAsync(Timeout);

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        Http.Dispose();
        Http2.Dispose();
        await _app.StopAsync().WaitAsync(Timeout);
        await _app.DisposeAsync();
        Directory.Delete(ModelDir, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
