using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Mnist.V1;

namespace Mnist.Tests.Functional.Tls;

/// <summary>TLS_CERT_FILE / TLS_KEY_FILE with a CA made in the test: verified clients, h2 by ALPN, rotation, the probe port.</summary>
[Category("Functional")]
public class TlsTests : ServerFixture
{
    private readonly TestCertificates _pki = new();
    private string _certFile = null!;
    private string _keyFile = null!;

    internal override Task<InferenceServer> StartServerAsync()
    {
        (_certFile, _keyFile, _) = _pki.IssueServer();
        return InferenceServer.StartAsync(settings: [("TLS_CERT_FILE", _certFile), ("TLS_KEY_FILE", _keyFile), ("TLS_POLL_SECONDS", "0.1")]);
    }

    [OneTimeTearDown]
    public void DeleteCertificates() => _pki.Dispose();

    [Test]
    public async Task Predict_ClientTrustingTheTestCa_VerifiesTheServerAndPredicts()
    {
        string? issuer = null;
        using var channel = Channel(Server.GrpcAddress, TrustingTestCa(c => issuer = c.Issuer));

        var sample = await new V1.Mnist.MnistClient(channel).PredictTestSampleAsync(new PredictTestSampleRequest { Id = 2 })
            .ResponseAsync.WaitAsync(InferenceServer.Timeout);

        Assert.That(sample.Label, Is.EqualTo(TestModel.TestSet.Labels[2]));
        Assert.That(issuer, Is.EqualTo(_pki.Ca.Subject));
    }

    [Test]
    public void Predict_ClientWithTheSystemRoots_RefusesTheServer()
    {
        using var channel = Channel(Server.GrpcAddress, new SocketsHttpHandler());

        var error = Assert.ThrowsAsync<RpcException>(() => new V1.Mnist.MnistClient(channel)
            .PredictTestSampleAsync(new PredictTestSampleRequest { Id = 2 }).ResponseAsync.WaitAsync(InferenceServer.Timeout));

        // Grpc.Net.Client reports a failed handshake as INTERNAL "Error starting gRPC call", the TLS error inside.
        Assert.That(error.StatusCode, Is.AnyOf(StatusCode.Unavailable, StatusCode.Internal));
        Assert.That(Causes(error.Status.DebugException).OfType<System.Security.Authentication.AuthenticationException>(), Is.Not.Empty);
    }

    [TestCase(1)]
    [TestCase(2)]
    public async Task GetHealth_HttpPortOverTls_AnswersInTheVersionAskedByAlpn(int major)
    {
        using var client = new HttpClient(TrustingTestCa()) { BaseAddress = Server.HttpAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/health")
        {
            Version = new Version(major, major == 1 ? 1 : 0),
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await client.SendAsync(request).WaitAsync(InferenceServer.Timeout);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Version.Major, Is.EqualTo(major));
    }

    [Test]
    public async Task Check_ProbePortInClear_ServingAndNothingElse()
    {
        using var channel = GrpcChannel.ForAddress(Server.ProbeAddress);

        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = "mnist.v1.Mnist" })
            .ResponseAsync.WaitAsync(InferenceServer.Timeout);
        var predict = Assert.ThrowsAsync<RpcException>(() => new V1.Mnist.MnistClient(channel)
            .PredictTestSampleAsync(new PredictTestSampleRequest { Id = 2 }).ResponseAsync.WaitAsync(InferenceServer.Timeout));

        Assert.That(health.Status, Is.EqualTo(HealthCheckResponse.Types.ServingStatus.Serving));
        Assert.That(predict.StatusCode, Is.EqualTo(StatusCode.Unimplemented));
    }

    [Test]
    public async Task Handshake_CertificateFilesRotated_NewConnectionsGetTheNewCertificateWithoutRestart()
    {
        var before = await ServedCertificateAsync();
        var (newCert, newKey, issued) = _pki.IssueServer("rotated");
        File.Copy(newKey, _keyFile, overwrite: true);
        File.Copy(newCert, _certFile, overwrite: true);

        using var timeout = new CancellationTokenSource(InferenceServer.Timeout);
        var after = before;
        while (after == before)
        {
            await Task.Delay(100, timeout.Token);
            after = await ServedCertificateAsync();
        }

        Assert.That(after, Is.EqualTo(issued.Thumbprint));
    }

    private static IEnumerable<Exception> Causes(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            yield return exception;
        }
    }

    private TestCertificatesHandler TrustingTestCa(Action<X509Certificate2>? seen = null) => new(_pki, seen);

    private static GrpcChannel Channel(Uri address, HttpMessageHandler handler) =>
        GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });

    // A fresh connection each time: the certificate is chosen at the handshake.
    private async Task<string> ServedCertificateAsync()
    {
        string? thumbprint = null;
        using var client = new HttpClient(TrustingTestCa(c => thumbprint = c.Thumbprint));
        using var response = await client.GetAsync(new Uri(Server.HttpAddress, "/healthz")).WaitAsync(InferenceServer.Timeout);
        return thumbprint!;
    }
}
