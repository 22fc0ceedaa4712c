using Grpc.Core;
using Grpc.Net.Client;
using Mnist.V1;

namespace Mnist.Tests.Functional.Tls;

/// <summary>TLS_CLIENT_CA_FILE: a client certificate from that CA is required; its subject names the caller.</summary>
[Category("Functional")]
public class MutualTlsTests
{
    private TestCertificates _pki = null!;
    private TestCertificates _otherPki = null!;
    private InferenceServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _pki = new TestCertificates();
        _otherPki = new TestCertificates("Another CA");
        var (cert, key, _) = _pki.IssueServer();
        _server = await InferenceServer.StartAsync(settings: [("TLS_CERT_FILE", cert), ("TLS_KEY_FILE", key), ("TLS_CLIENT_CA_FILE", _pki.CaFile)]);
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        await _server.DisposeAsync();
        _pki.Dispose();
        _otherPki.Dispose();
    }

    [Test]
    public void Predict_NoClientCertificate_Refused()
    {
        var error = Assert.ThrowsAsync<RpcException>(() => PredictAsync(client: null));

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.Unavailable));
    }

    [Test]
    public void Predict_CertificateFromAnotherCa_Refused()
    {
        var (cert, key, _) = _otherPki.IssueClient("intruder");

        var error = Assert.ThrowsAsync<RpcException>(() => PredictAsync(TestCertificates.Load(cert, key)));

        Assert.That(error.StatusCode, Is.EqualTo(StatusCode.Unavailable));
    }

    [Test]
    public async Task Predict_ClientCertificate_PredictsAndTheSubjectNamesTheCaller()
    {
        var (cert, key, _) = _pki.IssueClient("reporting-job");

        var sample = await PredictAsync(TestCertificates.Load(cert, key));
        var metrics = await ScrapeUntilAsync("mnist_caller=\"CN=reporting-job\"");

        Assert.That(sample.Label, Is.EqualTo(TestModel.TestSet.Labels[4]));
        Assert.That(metrics, Does.Contain("mnist_caller=\"CN=reporting-job\""));
    }

    private async Task<TestSamplePrediction> PredictAsync(System.Security.Cryptography.X509Certificates.X509Certificate2? client)
    {
        using var channel = GrpcChannel.ForAddress(_server.GrpcAddress,
            new GrpcChannelOptions { HttpHandler = new TestCertificatesHandler(_pki, client: client), DisposeHttpClient = true });
        return await new V1.Mnist.MnistClient(channel).PredictTestSampleAsync(new PredictTestSampleRequest { Id = 4 })
            .ResponseAsync.WaitAsync(InferenceServer.Timeout);
    }

    private async Task<string> ScrapeUntilAsync(string text)
    {
        using var timeout = new CancellationTokenSource(InferenceServer.Timeout);
        while (true)
        {
            var metrics = await _server.Http.GetStringAsync(new Uri(_server.MetricsAddress, "/metrics"), timeout.Token);
            if (metrics.Contains(text, StringComparison.Ordinal))
            {
                return metrics;
            }

            await Task.Delay(100, timeout.Token);
        }
    }
}
