using Mnist.Cli;

namespace Mnist.Tests.Functional.Cli;

/// <summary>The CLI against a server with API keys, TLS and mTLS on: --api-key / MNIST_API_KEY, --ca-file, --cert / --key.</summary>
[Category("Functional")]
public class CliAccessTests
{
    private TestCertificates _pki = null!;
    private ApiKeysFile _keys = null!;
    private InferenceServer _server = null!;
    private InferenceServer _mtls = null!;

    [OneTimeSetUp]
    public async Task StartServers()
    {
        _pki = new TestCertificates();
        _keys = new ApiKeysFile(("cli", ApiKeysFile.Alpha));
        var (cert, key, _) = _pki.IssueServer();
        _server = await InferenceServer.StartAsync(settings: [("TLS_CERT_FILE", cert), ("TLS_KEY_FILE", key), ("API_KEYS_FILE", _keys.Path)]);
        _mtls = await InferenceServer.StartAsync(settings: [("TLS_CERT_FILE", cert), ("TLS_KEY_FILE", key), ("TLS_CLIENT_CA_FILE", _pki.CaFile)]);
    }

    [OneTimeTearDown]
    public async Task StopServers()
    {
        await _server.DisposeAsync();
        await _mtls.DisposeAsync();
        _keys.Dispose();
        _pki.Dispose();
    }

    [Test]
    public async Task Health_KeyAndCaFile_Serving()
    {
        var result = await CliRunner.RunAsync("health", "-s", _server.GrpcAddress.ToString(), "--ca-file", _pki.CaFile, "--api-key", ApiKeysFile.Alpha);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        Assert.That(result.Stdout, Does.Contain("SERVING"));
        Assert.That(result.Stderr, Is.Empty, "https: no plaintext warning");
    }

    [Test]
    public async Task PredictTestId_KeyFromTheEnvironment_Predicts()
    {
        var result = await CliRunner.RunWithEnvironmentAsync(
            ["predict", "--test-id", "3", "-s", _server.GrpcAddress.ToString(), "--ca-file", _pki.CaFile],
            new Dictionary<string, string> { ["MNIST_API_KEY"] = ApiKeysFile.Alpha });

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
    }

    [Test]
    public async Task Health_NoKey_OneLineNamingTheOptionExit1()
    {
        var result = await CliRunner.RunAsync("health", "-s", _server.GrpcAddress.ToString(), "--ca-file", _pki.CaFile);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.CallFailed), result.ToString());
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain("refused the call").And.Contain("--api-key"));
    }

    [Test]
    public async Task Health_WithoutTheCaFile_TlsFailureExit3()
    {
        var result = await CliRunner.RunAsync("health", "-s", _server.GrpcAddress.ToString(), "--api-key", ApiKeysFile.Alpha);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.ServerUnavailable), result.ToString());
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Health_ClientCertificate_ServingAndWithoutOneRefused()
    {
        var (cert, key, _) = _pki.IssueClient("cli-user");

        var with = await CliRunner.RunAsync("health", "-s", _mtls.GrpcAddress.ToString(), "--ca-file", _pki.CaFile, "--cert", cert, "--key", key);
        var without = await CliRunner.RunAsync("health", "-s", _mtls.GrpcAddress.ToString(), "--ca-file", _pki.CaFile);

        Assert.That(with.ExitCode, Is.EqualTo(ExitCodes.Success), with.ToString());
        Assert.That(without.ExitCode, Is.Not.EqualTo(ExitCodes.Success), without.ToString());
    }

    [TestCase("--cert", "x.pem")]
    [TestCase("--key", "x.pem")]
    public async Task Health_CertWithoutKey_UsageErrorExit2(string option, string value)
    {
        var result = await CliRunner.RunAsync("health", "-s", _server.GrpcAddress.ToString(), option, value);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.UsageError), result.ToString());
        Assert.That(result.Stderr, Does.StartWith("mnist: --cert and --key go together"));
    }

    [Test]
    public async Task Health_CaFileWithPlainHttp_UsageErrorExit2()
    {
        var result = await CliRunner.RunAsync("health", "-s", "http://127.0.0.1:1", "--ca-file", _pki.CaFile);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.UsageError), result.ToString());
        Assert.That(result.Stderr, Does.Contain("need an https:// server"));
    }

    [Test]
    public async Task Health_MissingCaFile_UsageErrorExit2()
    {
        var result = await CliRunner.RunAsync("health", "-s", _server.GrpcAddress.ToString(), "--ca-file", Path.Combine(_pki.Directory, "none.pem"));

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.UsageError), result.ToString());
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
        Assert.That(result.Stderr, Does.StartWith("mnist: --ca-file: cannot use"));
    }
}
