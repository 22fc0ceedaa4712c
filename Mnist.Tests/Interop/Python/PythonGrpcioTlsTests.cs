using System.Diagnostics;
using System.Text.Json;

namespace Mnist.Tests.Interop.Python;

/// <summary>Python grpcio (C-core's TLS, not .NET's) verifies the server against a CA made in the test and sends a key.</summary>
[Category("Interop")]
[NonParallelizable]
public class PythonGrpcioTlsTests
{
    private const string Python = "/usr/bin/python3";

    private static JsonElement _results;

    [OneTimeSetUp]
    public static async Task RunPythonClient()
    {
        Assert.That(File.Exists(Python), Is.True, "python3 is missing: run scripts/deps.sh test");
        using var pki = new TestCertificates();
        using var keys = new ApiKeysFile(("python", ApiKeysFile.Alpha));
        var (cert, key, _) = pki.IssueServer();
        await using var server = await InferenceServer.StartAsync(settings: [("TLS_CERT_FILE", cert), ("TLS_KEY_FILE", key), ("API_KEYS_FILE", keys.Path)]);
        var script = Path.Combine(RepoPaths.Root, "Mnist.Tests", "Interop", "Python", "grpcio_tls_client.py");
        using var process = Process.Start(new ProcessStartInfo(Python, [script, $"127.0.0.1:{server.GrpcAddress.Port}", pki.CaFile, ApiKeysFile.Alpha])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.That(process.ExitCode, Is.Zero, await error);
        _results = JsonDocument.Parse(await output).RootElement;
    }

    [Test]
    public void Check_TrustingTheTestCa_Ok()
    {
        Assert.That(_results.GetProperty("health").GetProperty("status").GetString(), Is.EqualTo("OK"));
    }

    [Test]
    public void PredictTestSample_WithKeyOverTls_Ok()
    {
        var predict = _results.GetProperty("predict_with_key");

        Assert.That(predict.GetProperty("status").GetString(), Is.EqualTo("OK"));
        // TestSamplePrediction{id: 5, ...}: field 1, varint 5.
        Assert.That(predict.GetProperty("response").GetString(), Does.StartWith("0805"));
    }

    [Test]
    public void PredictTestSample_WithoutKey_Unauthenticated()
    {
        Assert.That(_results.GetProperty("predict_without_key").GetProperty("status").GetString(), Is.EqualTo("UNAUTHENTICATED"));
    }

    [Test]
    public void Check_WithTheSystemRoots_RefusesTheServer()
    {
        Assert.That(_results.GetProperty("health_untrusted").GetProperty("status").GetString(), Is.EqualTo("UNAVAILABLE"));
    }
}
