using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Mnist.Cli;
using Mnist.V1;

namespace Mnist.Tests.Functional.Cli;

/// <summary><c>mnist predict FILE...</c> in-process against the real server with the test model.</summary>
[Category("Functional")]
public class CliPredictFilesTests : ServerFixture
{
    private readonly CliTestImages _images = new();
    private string Address => Server.GrpcAddress.ToString();

    [OneTimeTearDown]
    public void DeleteImages() => _images.Dispose();

    [Test]
    public async Task Predict_SampleScan_PrintsFileDigitAndConfidence()
    {
        var result = await CliRunner.RunAsync("predict", CliTestImages.Sample(7), "--server", Address);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        Assert.That(result.StdoutLines, Has.Length.EqualTo(1));
        Assert.That(result.StdoutLines[0], Does.Match(@"^.*digit-7\.png: 7 \(\d{1,3}\.\d%\)$"));
        Assert.That(result.Stderr, Is.Empty);
    }

    [Test]
    public async Task Predict_SeveralFiles_OneLineEachAndSummary()
    {
        var result = await CliRunner.RunAsync("predict", CliTestImages.Sample(7), CliTestImages.Sample(2), "-s", Address);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        Assert.That(result.StdoutLines, Has.Length.EqualTo(3));
        Assert.That(result.StdoutLines[0], Does.Contain("digit-7.png: 7 ("));
        Assert.That(result.StdoutLines[1], Does.Contain("digit-2.png: 2 ("));
        Assert.That(result.StdoutLines[2], Is.EqualTo("2 files: 2 predicted, 0 failed"));
    }

    [Test]
    public async Task Predict_StandardInput_ReadsTheImageFromIt()
    {
        var result = await CliRunner.RunAsync(["predict", "-", "--server", Address], File.ReadAllBytes(CliTestImages.Sample(2)));

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        Assert.That(result.StdoutLines, Has.Length.EqualTo(1));
        Assert.That(result.StdoutLines[0], Does.StartWith("-: 2 ("));
    }

    [Test]
    public async Task Predict_EmptyStandardInput_Exit4()
    {
        var result = await CliRunner.RunAsync(["predict", "-", "--server", Address], []);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.ToString());
        Assert.That(result.StderrLines, Is.EqualTo(new[] { $"mnist: -: standard input is empty; pipe an image into it" }));
    }

    [Test]
    public async Task Predict_Json_EachLineIsTheFileAndTheProtoJsonOfThePrediction()
    {
        var png = MnistTestDigits.Png(3);
        var path = _images.Write("three.png", png);
        var direct = await Server.Client.PredictAsync(new PredictRequest { Image = ByteString.CopyFrom(png) }).ResponseAsync.WaitAsync(InferenceServer.Timeout);

        var result = await CliRunner.RunAsync("predict", path, path, "--json", "--server", Address);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
        Assert.That(result.StdoutLines, Has.Length.EqualTo(2), "no summary line in JSON mode");
        using var line = JsonDocument.Parse(result.StdoutLines[0]);
        Assert.That(line.RootElement.GetProperty("file").GetString(), Is.EqualTo(path));
        var prediction = JsonParser.Default.Parse<Prediction>(line.RootElement.GetProperty("prediction").GetRawText());
        // The CLI's two calls may share a batched forward, which rounds the last bits of a float differently.
        Assert.That(prediction.Digit, Is.EqualTo(direct.Digit));
        Assert.That(prediction.ModelVersion, Is.EqualTo(direct.ModelVersion));
        Assert.That(prediction.Confidence, Is.EqualTo(direct.Confidence).Within(1e-5));
        Assert.That(prediction.Probabilities.ToArray(), Is.EqualTo(direct.Probabilities.ToArray()).Within(1e-5));
        Assert.That(line.RootElement.GetProperty("prediction").TryGetProperty("digit", out _), Is.True, "default values are written");
    }

    [Test]
    public async Task Predict_MissingFile_Exit4WithOneLine()
    {
        var missing = Path.Combine(_images.Directory, "nope.png");

        var result = await CliRunner.RunAsync("predict", missing, "--server", Address);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(result.StderrLines, Is.EqualTo(new[] { $"mnist: {missing}: no such file or directory" }));
        Assert.That(result.Stdout, Is.Empty);
    }

    [Test]
    public async Task Predict_TextFile_Exit4NotAnImage()
    {
        var path = _images.Write("notes.txt", "hello"u8.ToArray());

        var result = await CliRunner.RunAsync("predict", path, "--server", Address);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
        Assert.That(result.StderrLines[0], Does.StartWith($"mnist: {path}: not an image"));
    }

    [Test]
    public async Task Predict_BmpFile_Exit4NamingTheAcceptedFormats()
    {
        var png = MnistTestDigits.Png(3);
        using var bmp = new MemoryStream();
        using (var image = SixLabors.ImageSharp.Image.Load(png))
        {
            SixLabors.ImageSharp.ImageExtensions.SaveAsBmp(image, bmp);
        }

        var path = _images.Write("three.bmp", bmp.ToArray());

        var result = await CliRunner.RunAsync("predict", path, "--server", Address);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.ToString());
        Assert.That(result.StderrLines, Is.EqualTo(new[] { $"mnist: {path}: BMP images are not accepted; send a PNG or JPEG file" }));
    }

    [Test]
    public async Task Predict_CorruptPngTheServerRefuses_Exit4WithTheServersReason()
    {
        var path = _images.Write("broken.png", CliTestImages.CorruptPng);
        var refusal = Assert.ThrowsAsync<RpcException>(async () =>
            await Server.Client.PredictAsync(new PredictRequest { Image = ByteString.CopyFrom(CliTestImages.CorruptPng) }).ResponseAsync.WaitAsync(InferenceServer.Timeout));

        var result = await CliRunner.RunAsync("predict", path, "--server", Address);

        Assert.That(refusal!.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.ToString());
        Assert.That(result.StderrLines, Is.EqualTo(new[] { $"mnist: {path}: {refusal.Status.Detail}" }));
    }

    [Test]
    public async Task Predict_Directory_Exit4()
    {
        var result = await CliRunner.RunAsync("predict", _images.Directory, "--server", Address);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(result.StderrLines, Is.EqualTo(new[] { $"mnist: {_images.Directory}: is a directory" }));
    }

    [Test]
    public async Task Predict_ThirtyMixedFiles_PrintedInInputOrder()
    {
        var files = new List<string>();
        var expected = new List<string>();
        var expectedErrors = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            if (i % 3 == 2)
            {
                var bad = _images.Write($"bad-{i:00}.png", "not a png"u8.ToArray());
                files.Add(bad);
                expectedErrors.Add($"mnist: {bad}: not an image: the data starts with 0x{Convert.ToHexString("not a png"u8[..8])}; send a PNG or JPEG file");
                continue;
            }

            var png = MnistTestDigits.Png(i);
            var path = _images.Write($"img-{i:00}.png", png);
            var direct = await Server.Client.PredictAsync(new PredictRequest { Image = ByteString.CopyFrom(png) }).ResponseAsync.WaitAsync(InferenceServer.Timeout);
            files.Add(path);
            expected.Add($"{path}: {direct.Digit} (");
        }

        var result = await CliRunner.RunAsync(["predict", .. files, "--server", Address, "--jobs", "8"]);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.BadInput), result.ToString());
        Assert.That(result.StdoutLines[..^1].Select(l => l[..(l.IndexOf('(') + 1)]), Is.EqualTo(expected));
        Assert.That(result.StdoutLines[^1], Is.EqualTo("30 files: 20 predicted, 10 failed"));
        Assert.That(result.StderrLines, Is.EqualTo(expectedErrors));
    }

    [Test]
    public async Task Predict_ServerDown_Exit3WithOneLineForAllFiles()
    {
        var address = CliTestImages.ClosedAddress();

        var result = await CliRunner.RunAsync("predict", CliTestImages.Sample(7), CliTestImages.Sample(2), "--server", address);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.ServerUnavailable));
        Assert.That(result.StderrLines, Is.EqualTo(new[] { $"mnist: cannot reach the server at {address}: connection refused" }));
        Assert.That(result.Stdout, Is.Empty);
    }

    [Test]
    public async Task Predict_ServerDownVerbose_AddsTheDetails()
    {
        var address = CliTestImages.ClosedAddress();

        var result = await CliRunner.RunAsync("predict", CliTestImages.Sample(7), "--server", address, "--verbose");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.ServerUnavailable));
        Assert.That(result.Stderr, Does.Contain("RpcException").And.Contain("SocketException"));
    }

    [Test]
    public async Task Predict_ServerNeverAnswers_Exit1DeadlineExceeded()
    {
        using var silent = new SilentServer();

        var result = await CliRunner.RunAsync("predict", CliTestImages.Sample(7), "--server", silent.Address, "--timeout", "300ms");

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.CallFailed), result.ToString());
        Assert.That(result.StderrLines, Is.EqualTo(new[] { $"mnist: {CliTestImages.Sample(7)}: no answer from {silent.Address} within 300ms (see --timeout)" }));
    }

    [Test]
    public async Task Predict_ServerFromEnvironment_UsedWithoutServerOption()
    {
        var result = await CliRunner.RunWithEnvironmentAsync(["predict", CliTestImages.Sample(7)], new Dictionary<string, string> { ["MNIST_SERVER"] = Address });

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
    }

    [Test]
    public async Task Predict_ServerOptionOverridesEnvironment()
    {
        var variables = new Dictionary<string, string> { ["MNIST_SERVER"] = CliTestImages.ClosedAddress() };

        var result = await CliRunner.RunWithEnvironmentAsync(["predict", CliTestImages.Sample(7), "--server", Address], variables);

        Assert.That(result.ExitCode, Is.EqualTo(ExitCodes.Success), result.ToString());
    }
}
