using System.IO.Compression;
using System.Net;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Mnist.Grpc.Client;
using Mnist.Grpc.Server;
using Mnist.Grpc.V1;
using Mnist.Grpc.Wire;

namespace Mnist.Tests.Grpc;

/// <summary>Protocol violations sent by hand; each must get the prescribed status and leave the server serving.</summary>
public class GrpcWireErrorTests
{
    private const string PredictPath = "/mnist.v1.Mnist/Predict";
    private static readonly byte[] ValidPayload = TestMnistService.Pixels(784).ToByteArray();

    private GrpcTestServer _server = null!;
    private MnistClient _client = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        var service = new TestMnistService();
        _server = await GrpcTestServer.StartAsync(services => services.AddGrpcService(_ => service.CreateDefinition()), withHttp1Endpoint: true);
        _client = new MnistClient(_server.Client);
    }

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [TearDown]
    public async Task ServerStillServes()
    {
        // Both clients, so the connection that carried the malformed request is checked too.
        var prediction = await _client.PredictAsync(TestMnistService.Pixels(3)).WaitAsync(GrpcTestServer.Timeout);
        var raw = await SendAsync(RawGrpc.Frame(ValidPayload));
        Assert.That(prediction.Digit, Is.EqualTo(3));
        Assert.That(raw.GrpcStatus, Is.EqualTo("0"));
    }

    [Test]
    public async Task Call_ValidFrame_OkInTrailersWithGrpcContentTypeAndCustomTrailer()
    {
        var response = await SendAsync(RawGrpc.Frame(ValidPayload));

        Assert.That(response.HttpStatus, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.ContentType, Is.EqualTo("application/grpc"));
        Assert.That(response.TrailersOnly, Is.False);
        Assert.That(response.GrpcStatus, Is.EqualTo("0"));
        Assert.That(response.PixelCountTrailer, Is.EqualTo("784"));
        Assert.That(Prediction.Parser.ParseFrom(response.Body.AsSpan(5)).Digit, Is.EqualTo(4));
    }

    [Test]
    public async Task Call_StatusMessageWithPercentAndNonAscii_PercentEncodedUppercaseHex()
    {
        var response = await SendAsync(RawGrpc.Frame([]));

        Assert.That(response.GrpcStatus, Is.EqualTo("3"));
        Assert.That(response.TrailersOnly, Is.True);
        Assert.That(response.GrpcMessage, Does.StartWith("100%25 wrong %E2%80%94 %C3%BCn%C3%AFcode %F0%9F%99%82"));
    }

    [Test]
    public async Task Call_WrongContentType_Http415WithInternalStatus()
    {
        using var request = _server.CreateRequest(PredictPath, new ByteArrayContent(RawGrpc.Frame(ValidPayload)), "application/json");

        var response = await RawGrpc.SendAsync(_server.Http, request);

        Assert.That(response.HttpStatus, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        Assert.That(response.GrpcStatus, Is.EqualTo("13"));
    }

    [Test]
    public async Task Call_OverHttp11_Http426()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.Http1Address!, PredictPath))
        {
            Content = new ByteArrayContent(RawGrpc.Frame(ValidPayload)),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/grpc");

        var response = await RawGrpc.SendAsync(_server.Http, request);

        Assert.That(response.HttpStatus, Is.EqualTo(HttpStatusCode.UpgradeRequired));
        Assert.That(response.GrpcStatus, Is.EqualTo("13"));
    }

    [Test]
    public async Task Call_Get_NotOk()
    {
        using var request = _server.CreateRequest(PredictPath, null);
        request.Method = HttpMethod.Get;
        request.Content = null;

        var response = await RawGrpc.SendAsync(_server.Http, request);

        Assert.That(response.HttpStatus, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
    }

    [TestCase("/nope.v1.Nope/Call", "Service is unimplemented.")]
    [TestCase("/mnist.v1.Mnist/Nope", "Method is unimplemented.")]
    [TestCase("/mnist.v1.Mnist/Health", "Method is unimplemented.")]
    public async Task Call_UnknownServiceOrMethod_Http200TrailersOnlyUnimplemented(string path, string message)
    {
        using var request = _server.CreateRequest(path, new ByteArrayContent(RawGrpc.Frame([])));

        var response = await RawGrpc.SendAsync(_server.Http, request);

        Assert.That(response.HttpStatus, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.TrailersOnly, Is.True);
        Assert.That(response.GrpcStatus, Is.EqualTo("12"));
        Assert.That(response.GrpcMessage, Is.EqualTo(message));
    }

    [Test]
    public async Task Call_UnknownPathWithoutGrpcContentType_Http404()
    {
        using var request = _server.CreateRequest("/nope/nope", new ByteArrayContent([1]), "text/plain");

        var response = await RawGrpc.SendAsync(_server.Http, request);

        Assert.That(response.HttpStatus, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Call_LengthPrefixOverLimit_ResourceExhaustedBeforeTheBodyArrives()
    {
        // Only the 5-byte prefix is sent and the stream stays open: the answer must come from the prefix alone.
        var release = new TaskCompletionSource();
        var prefix = RawGrpc.FrameWithLength([], 5 * 1024 * 1024);
        using var request = _server.CreateRequest(PredictPath, new SlowContent(prefix, prefix.Length, TimeSpan.Zero, release.Task));
        try
        {
            using var response = await _server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(GrpcTestServer.Timeout);

            Assert.That(response.Headers.NonValidated["grpc-status"].ToString(), Is.EqualTo("8"));
        }
        finally
        {
            release.SetResult();
        }
    }

    [Test]
    public async Task Call_FiveMebibyteMessage_ResourceExhausted()
    {
        var request = new PredictRequest { Image = ByteString.CopyFrom(new byte[5 * 1024 * 1024]) };

        var error = await GrpcUnaryTests.CatchAsync(() => _client.PredictAsync(request));

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
        Assert.That(error.Detail, Does.Contain("4194304"));
    }

    [Test]
    public async Task Call_MessageSplitIntoManyDataFrames_Ok()
    {
        using var request = _server.CreateRequest(PredictPath, new SlowContent(RawGrpc.Frame(ValidPayload), 7, TimeSpan.FromMilliseconds(1)));

        var response = await RawGrpc.SendAsync(_server.Http, request);

        Assert.That(response.GrpcStatus, Is.EqualTo("0"));
        Assert.That(Prediction.Parser.ParseFrom(response.Body.AsSpan(5)).ModelVersion, Is.EqualTo("len=784"));
    }

    [Test]
    public async Task Call_TruncatedMessage_InternalIncomplete()
    {
        var frame = RawGrpc.Frame(ValidPayload);

        var response = await SendAsync(frame[..^10]);

        Assert.That(response.GrpcStatus, Is.EqualTo("13"));
        Assert.That(response.GrpcMessage, Does.StartWith("Incomplete message"));
    }

    [Test]
    public async Task Call_TruncatedPrefix_Internal()
    {
        var response = await SendAsync([0, 0, 0]);

        Assert.That(response.GrpcStatus, Is.EqualTo("13"));
    }

    [Test]
    public async Task Call_NoMessage_Internal()
    {
        var response = await SendAsync([]);

        Assert.That(response.GrpcStatus, Is.EqualTo("13"));
    }

    [Test]
    public async Task Call_TwoMessagesOnUnary_NotOk()
    {
        var response = await SendAsync([.. RawGrpc.Frame(ValidPayload), .. RawGrpc.Frame(ValidPayload)]);

        Assert.That(response.GrpcStatus, Is.Not.EqualTo("0"));
        Assert.That(response.Body, Is.Empty);
    }

    [Test]
    public async Task Call_FlagByteTwo_Internal()
    {
        var response = await SendAsync(RawGrpc.Frame(ValidPayload, flag: 2));

        Assert.That(response.GrpcStatus, Is.EqualTo("13"));
    }

    [Test]
    public async Task Call_GarbageProtobuf_Internal()
    {
        var response = await SendAsync(RawGrpc.Frame([0xFF, 0xFF, 0xFF, 0xFF, 0xFF]));

        Assert.That(response.GrpcStatus, Is.EqualTo("13"));
        Assert.That(response.GrpcMessage, Does.Contain("protobuf"));
    }

    [Test]
    public async Task Call_GzipCompressedMessage_Ok()
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(ValidPayload);
        }

        var response = await SendAsync(RawGrpc.Frame(compressed.ToArray(), flag: 1), encoding: "gzip");

        Assert.That(response.GrpcStatus, Is.EqualTo("0"));
        Assert.That(Prediction.Parser.ParseFrom(response.Body.AsSpan(5)).ModelVersion, Is.EqualTo("len=784"));
    }

    [Test]
    public async Task Call_CompressedFlagWithoutEncoding_Internal()
    {
        var response = await SendAsync(RawGrpc.Frame(ValidPayload, flag: 1));

        Assert.That(response.GrpcStatus, Is.EqualTo("13"));
    }

    [Test]
    public async Task Call_UnsupportedEncoding_UnimplementedListingSupportedOnes()
    {
        var response = await SendAsync(RawGrpc.Frame(ValidPayload, flag: 1), encoding: "snappy");

        Assert.That(response.GrpcStatus, Is.EqualTo("12"));
        Assert.That(response.AcceptEncoding, Is.EqualTo("identity,gzip"));
    }

    [TestCase("200m")]
    [TestCase("200000u")]
    [TestCase("99999999n")]
    [TestCase("1S")]
    public async Task Call_GrpcTimeoutOnSlowHandler_DeadlineExceededFromServer(string timeout)
    {
        var payload = new PredictTestSampleRequest { Id = 30_000 }.ToByteArray();

        var response = await SendAsync(RawGrpc.Frame(payload), path: "/mnist.v1.Mnist/PredictTestSample", timeout: timeout);

        Assert.That(response.GrpcStatus, Is.EqualTo("4"));
    }

    [TestCase("soon")]
    [TestCase("100")]
    [TestCase("123456789m")]
    [TestCase("-5m")]
    [TestCase("5x")]
    public async Task Call_UnparsableGrpcTimeout_Ignored(string timeout)
    {
        var payload = new PredictTestSampleRequest { Id = 50 }.ToByteArray();

        var response = await SendAsync(RawGrpc.Frame(payload), path: "/mnist.v1.Mnist/PredictTestSample", timeout: timeout);

        Assert.That(response.GrpcStatus, Is.EqualTo("0"));
    }

    private async Task<RawResponse> SendAsync(byte[] body, string? encoding = null, string path = PredictPath, string? timeout = null)
    {
        using var request = _server.CreateRequest(path, new ByteArrayContent(body));
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }

        if (timeout is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-timeout", timeout);
        }

        return await RawGrpc.SendAsync(_server.Http, request);
    }
}
