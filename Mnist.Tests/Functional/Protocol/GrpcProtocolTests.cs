using System.IO.Compression;
using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Mnist.V1;

namespace Mnist.Tests.Functional.Protocol;

/// <summary>
/// The real server's gRPC port as any client sees it on the wire: requests built by hand, including protocol
/// violations; each gets the prescribed status and leaves the server serving.
/// </summary>
[Category("Functional")]
public class GrpcProtocolTests : ServerFixture
{
    private const string PredictPath = "/mnist.v1.Mnist/Predict";
    private static readonly byte[] ValidPayload = new PredictRequest { Pixels = ByteString.CopyFrom(TestModel.TestSet.Image(0)) }.ToByteArray();

    [TearDown]
    public async Task ServerStillServes()
    {
        var raw = await SendAsync(RawGrpc.Frame(ValidPayload));
        Assert.That(raw.GrpcStatus, Is.EqualTo("0"));
    }

    [Test]
    public async Task Call_ValidFrame_OkInTrailersWithGrpcContentType()
    {
        var response = await SendAsync(RawGrpc.Frame(ValidPayload));

        Assert.That(response.HttpStatus, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.ContentType, Is.EqualTo("application/grpc"));
        Assert.That(response.TrailersOnly, Is.False);
        Assert.That(response.GrpcStatus, Is.EqualTo("0"));
        Assert.That(Prediction.Parser.ParseFrom(response.Body.AsSpan(5)).Digit, Is.EqualTo(TestModel.TestSet.Labels[0]));
    }

    [Test]
    public async Task Call_InvalidInput_TrailersOnlyInvalidArgumentWithPercentEncodedMessage()
    {
        var response = await SendAsync(RawGrpc.Frame(new PredictRequest { Pixels = ByteString.CopyFrom(new byte[3]) }.ToByteArray()));

        Assert.That(response.TrailersOnly, Is.True);
        Assert.That(response.GrpcStatus, Is.EqualTo("3"));
        Assert.That(Uri.UnescapeDataString(response.GrpcMessage!), Does.StartWith("pixels has 3 bytes; it must be exactly 784"));
    }

    [Test]
    public async Task Call_WrongContentType_Http415()
    {
        using var request = Server.CreateGrpcRequest(PredictPath, new ByteArrayContent(RawGrpc.Frame(ValidPayload)), "application/json");

        var response = await RawGrpc.SendAsync(Server.Http2, request);

        Assert.That(response.HttpStatus, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
    }

    [TestCase("/nope.v1.Nope/Call")]
    [TestCase("/mnist.v1.Mnist/Nope")]
    public async Task Call_UnknownServiceOrMethod_Http200Unimplemented(string path)
    {
        using var request = Server.CreateGrpcRequest(path, new ByteArrayContent(RawGrpc.Frame([])));

        var response = await RawGrpc.SendAsync(Server.Http2, request);

        Assert.That(response.HttpStatus, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.GrpcStatus, Is.EqualTo("12"));
    }

    [TestCase("/v1/health")]
    [TestCase("/healthz")]
    public async Task RestRoute_OnTheGrpcPort_NotFound(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Server.GrpcAddress, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await Server.Http2.SendAsync(request).WaitAsync(InferenceServer.Timeout);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Call_LengthPrefixOverLimit_ResourceExhaustedBeforeTheBodyArrives()
    {
        // Only the 5-byte prefix is sent and the stream stays open: the answer must come from the prefix alone.
        var release = new TaskCompletionSource();
        var prefix = RawGrpc.FrameWithLength([], 5 * 1024 * 1024);
        using var request = Server.CreateGrpcRequest(PredictPath, new SlowContent(prefix, prefix.Length, TimeSpan.Zero, release.Task));
        try
        {
            var response = await RawGrpc.SendAsync(Server.Http2, request);

            Assert.That(response.GrpcStatus, Is.EqualTo("8"));
        }
        finally
        {
            release.SetResult();
        }
    }

    [Test]
    public async Task Call_FiveMebibyteImage_ResourceExhausted()
    {
        var request = new PredictRequest { Image = ByteString.CopyFrom(new byte[5 * 1024 * 1024]) };

        var error = Assert.ThrowsAsync<RpcException>(async () => await Server.Client.PredictAsync(request).ResponseAsync.WaitAsync(InferenceServer.Timeout));

        Assert.That(error!.StatusCode, Is.EqualTo(StatusCode.ResourceExhausted));
    }

    [Test]
    public async Task Call_MessageSplitIntoManyDataFrames_Ok()
    {
        using var request = Server.CreateGrpcRequest(PredictPath, new SlowContent(RawGrpc.Frame(ValidPayload), 97, TimeSpan.FromMilliseconds(1)));

        var response = await RawGrpc.SendAsync(Server.Http2, request);

        Assert.That(response.GrpcStatus, Is.EqualTo("0"));
    }

    [Test]
    public async Task Call_TruncatedMessage_Internal()
    {
        var response = await SendAsync(RawGrpc.Frame(ValidPayload)[..^10]);

        Assert.That(response.GrpcStatus, Is.EqualTo("13"));
    }

    [Test]
    public async Task Call_NoMessage_Internal()
    {
        var response = await SendAsync([]);

        Assert.That(response.GrpcStatus, Is.EqualTo("13"));
    }

    [Test]
    public async Task Call_TwoMessagesOnUnary_InternalAdditionalData()
    {
        var response = await SendAsync([.. RawGrpc.Frame(ValidPayload), .. RawGrpc.Frame(ValidPayload)]);

        Assert.That(response.GrpcStatus, Is.EqualTo("13"));
        Assert.That(response.GrpcMessage, Is.EqualTo("Additional data after the message received."));
    }

    [Test]
    public async Task Call_GarbageProtobuf_UnknownWithoutExceptionText()
    {
        // grpc-dotnet parses the request before any interceptor or handler runs, and reports a parse failure as
        // UNKNOWN "Exception was thrown by handler." (README: the gRPC spec would say INTERNAL; kept, see there).
        var response = await SendAsync(RawGrpc.Frame([0xFF, 0xFF, 0xFF, 0xFF, 0xFF]));

        Assert.That(response.GrpcStatus, Is.EqualTo("2"));
        Assert.That(response.GrpcMessage, Does.Not.Contain("Protobuf").And.Not.Contain("Exception:"));
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
        Assert.That(response.AcceptEncoding, Does.Contain("gzip"));
    }

    [TestCase("200m")]
    [TestCase("200000u")]
    [TestCase("99999999n")]
    public async Task Call_GrpcTimeoutWhileTheRequestIsStillArriving_DeadlineExceededFromServer(string timeout)
    {
        // The body never ends, so only the server's own deadline can end the call.
        var release = new TaskCompletionSource();
        var frame = RawGrpc.Frame(ValidPayload);
        using var request = Server.CreateGrpcRequest(PredictPath, new SlowContent(frame[..10], 10, TimeSpan.Zero, release.Task));
        request.Headers.TryAddWithoutValidation("grpc-timeout", timeout);
        try
        {
            // Trailers-Only, then RST_STREAM(CANCEL) for the request body the server no longer reads.
            using var response = await Server.Http2.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(InferenceServer.Timeout);

            Assert.That(response.Headers.NonValidated["grpc-status"].ToString(), Is.EqualTo("4"));
        }
        finally
        {
            release.SetResult();
        }
    }

    private async Task<RawResponse> SendAsync(byte[] body, string? encoding = null, string path = PredictPath)
    {
        using var request = Server.CreateGrpcRequest(path, new ByteArrayContent(body));
        if (encoding is not null)
        {
            request.Headers.TryAddWithoutValidation("grpc-encoding", encoding);
        }

        return await RawGrpc.SendAsync(Server.Http2, request);
    }
}
