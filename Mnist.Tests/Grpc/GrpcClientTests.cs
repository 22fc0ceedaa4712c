using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mnist.Grpc.Client;
using Mnist.Grpc.V1;
using Mnist.Grpc.Wire;

namespace Mnist.Tests.Grpc;

/// <summary>Our client against a foreign, misbehaving HTTP/2 server and against nothing at all.</summary>
public class GrpcClientTests
{
    private WebApplication _foreign = null!;
    private GrpcClient _grpc = null!;
    private MnistClient _client = null!;

    [OneTimeSetUp]
    public async Task StartForeignServer()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        _foreign = builder.Build();
        _foreign.MapPost("/mnist.v1.Mnist/Predict", async context =>
        {
            var mode = context.Request.Headers["x-mode"].ToString();
            await context.Request.Body.CopyToAsync(Stream.Null);
            switch (mode)
            {
                case "503":
                    context.Response.StatusCode = 503;
                    break;
                case "no-status":
                    context.Response.ContentType = "application/grpc";
                    break;
                case "html":
                    context.Response.ContentType = "text/html";
                    await context.Response.WriteAsync("<html></html>");
                    break;
                case "trailers-only":
                    context.Response.ContentType = "application/grpc";
                    context.Response.Headers["grpc-status"] = "7";
                    context.Response.Headers["grpc-message"] = "go away %E2%9C%8B";
                    break;
                case "gzip":
                    context.Response.ContentType = "application/grpc";
                    context.Response.Headers["grpc-encoding"] = "gzip";
                    using (var compressed = new MemoryStream())
                    {
                        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
                        {
                            gzip.Write(new Prediction { Digit = 7, ModelVersion = "gz" }.ToByteArray());
                        }

                        await context.Response.Body.WriteAsync(RawGrpc.Frame(compressed.ToArray(), flag: 1));
                    }

                    context.Response.AppendTrailer("grpc-status", "0");
                    break;
                case "hang":
                    // Ignores grpc-timeout: only the client's own deadline can end the call.
                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                    break;
                case "two-messages":
                    context.Response.ContentType = "application/grpc";
                    await context.Response.Body.WriteAsync(RawGrpc.Frame([]));
                    await context.Response.Body.WriteAsync(RawGrpc.Frame([]));
                    context.Response.AppendTrailer("grpc-status", "0");
                    break;
            }
        });
        await _foreign.StartAsync().WaitAsync(GrpcTestServer.Timeout);
        var address = _foreign.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _grpc = new GrpcClient(new Uri(address));
        _client = new MnistClient(_grpc);
    }

    [OneTimeTearDown]
    public async Task StopForeignServer()
    {
        _grpc.Dispose();
        await _foreign.StopAsync().WaitAsync(GrpcTestServer.Timeout);
        await _foreign.DisposeAsync();
    }

    [TestCase("503", StatusCode.Unavailable)]
    [TestCase("no-status", StatusCode.Unknown)]
    [TestCase("html", StatusCode.Unknown)]
    [TestCase("trailers-only", StatusCode.PermissionDenied)]
    [TestCase("two-messages", StatusCode.Internal)]
    public async Task Unary_ForeignServerResponse_StatusSynthesized(string mode, StatusCode expected)
    {
        var options = new GrpcCallOptions { Headers = new Dictionary<string, string> { ["x-mode"] = mode } };

        var error = await GrpcUnaryTests.CatchAsync(() => _client.PredictAsync(TestMnistService.Pixels(1), options));

        Assert.That(error.StatusCode, Is.EqualTo(expected));
    }

    [Test]
    public async Task Unary_GzipCompressedResponse_Decoded()
    {
        var options = new GrpcCallOptions { Headers = new Dictionary<string, string> { ["x-mode"] = "gzip" } };

        var prediction = await _client.PredictAsync(TestMnistService.Pixels(1), options).WaitAsync(GrpcTestServer.Timeout);

        Assert.That(prediction.ModelVersion, Is.EqualTo("gz"));
    }

    [Test]
    public async Task Unary_TrailersOnlyMessage_PercentDecoded()
    {
        var options = new GrpcCallOptions { Headers = new Dictionary<string, string> { ["x-mode"] = "trailers-only" } };

        var error = await GrpcUnaryTests.CatchAsync(() => _client.PredictAsync(TestMnistService.Pixels(1), options));

        Assert.That(error.Detail, Is.EqualTo("go away ✋"));
    }

    [Test]
    public async Task Unary_ServerIgnoresDeadline_LocalDeadlineExceeded()
    {
        var options = new GrpcCallOptions { Timeout = TimeSpan.FromMilliseconds(300), Headers = new Dictionary<string, string> { ["x-mode"] = "hang" } };

        var error = await GrpcUnaryTests.CatchAsync(() => _client.PredictAsync(TestMnistService.Pixels(1), options));

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.DeadlineExceeded));
    }

    [Test]
    public async Task Unary_NothingListening_UnavailableConnectionRefused()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var grpc = new GrpcClient(new Uri($"http://127.0.0.1:{port}"));

        var error = await GrpcUnaryTests.CatchAsync(() => new MnistClient(grpc).PredictAsync(TestMnistService.Pixels(1)));

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.Unavailable));
        Assert.That(error.Detail, Is.EqualTo($"cannot reach the server at 127.0.0.1:{port}: connection refused"));
    }

    [Test]
    public void Constructor_NonHttpAddress_Throws() =>
        Assert.That(() => new GrpcClient(new Uri("ftp://example.org")), Throws.ArgumentException);
}
