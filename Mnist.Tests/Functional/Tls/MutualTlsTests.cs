using Grpc.Core;
using Grpc.Net.Client;
using Mnist.V1;

namespace Mnist.Tests.Functional.Tls;

/// <summary>TLS_CLIENT_CA_FILE: a client certificate from that CA is required; its subject names the caller.</summary>
[Category("Functional")]
public class MutualTlsTests : ServerFixture
{
    private readonly TestCertificates _pki = new();
    private readonly TestCertificates _otherPki = new("Another CA");

    internal override Task<InferenceServer> StartServerAsync()
    {
        var (cert, key, _) = _pki.IssueServer();
        return InferenceServer.StartAsync(settings: [("TLS_CERT_FILE", cert), ("TLS_KEY_FILE", key), ("TLS_CLIENT_CA_FILE", _pki.CaFile)]);
    }

    [OneTimeTearDown]
    public void DeleteCertificates()
    {
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
        var metrics = await Server.ScrapeUntilAsync(m => m.Samples.Any(IsReportingJob));

        Assert.That(sample.Label, Is.EqualTo(TestModel.TestSet.Labels[4]));
        Assert.That(metrics.Samples.Where(IsReportingJob).Select(s => s.Name), Does.Contain("http_server_request_duration_seconds_count"));
    }

    private async Task<TestSamplePrediction> PredictAsync(System.Security.Cryptography.X509Certificates.X509Certificate2? client)
    {
        using var channel = GrpcChannel.ForAddress(Server.GrpcAddress,
            new GrpcChannelOptions { HttpHandler = new TestCertificatesHandler(_pki, client: client), DisposeHttpClient = true });
        return await new V1.Mnist.MnistClient(channel).PredictTestSampleAsync(new PredictTestSampleRequest { Id = 4 })
            .ResponseAsync.WaitAsync(InferenceServer.Timeout);
    }

    private static bool IsReportingJob(PrometheusSample sample) => sample.Labels.GetValueOrDefault("mnist_caller") == "CN=reporting-job";
}
