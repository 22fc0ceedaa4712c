using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mnist.Grpc.Client;
using Mnist.Grpc.Server;

namespace Mnist.Tests;

/// <summary>A real Kestrel on a free loopback port, HTTP/2 only (h2c), serving the registered gRPC services.</summary>
internal sealed class GrpcTestServer : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly WebApplication _app;

    private GrpcTestServer(WebApplication app, Uri address, Uri? http1Address)
    {
        _app = app;
        Address = address;
        Http1Address = http1Address;
        Client = new GrpcClient(Address);
        Http = new HttpClient(new SocketsHttpHandler()) { BaseAddress = Address, Timeout = Timeout };
    }

    public Uri Address { get; }

    /// <summary>An HTTP/1.1-only endpoint of the same app, if requested at start.</summary>
    public Uri? Http1Address { get; }

    /// <summary>Our gRPC client, connected to this server.</summary>
    public GrpcClient Client { get; }

    /// <summary>A raw HttpClient for hand-made requests (set Version 2.0 + RequestVersionExact for h2c).</summary>
    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<GrpcTestServer> StartAsync(
        Action<IServiceCollection> configureServices, Action<GrpcServerOptions>? configureOptions = null, bool withHttp1Endpoint = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("MNIST_TEST_LOGS") == "1")
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Debug);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2);
            if (withHttp1Endpoint)
            {
                kestrel.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1);
            }
        });
        builder.Services.AddGrpcWire(configureOptions);
        configureServices(builder.Services);
        var app = builder.Build();
        app.MapGrpcServices();
        await app.StartAsync().WaitAsync(Timeout);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a)).ToList();
        return new GrpcTestServer(app, addresses[0], withHttp1Endpoint ? addresses[1] : null);
    }

    /// <summary>A POST to a gRPC path over h2c with the given body, built by hand.</summary>
    public HttpRequestMessage CreateRequest(string path, HttpContent? content, string contentType = "application/grpc")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content ?? new ByteArrayContent([]),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Http.Dispose();
        await _app.StopAsync().WaitAsync(Timeout);
        await _app.DisposeAsync();
    }
}
