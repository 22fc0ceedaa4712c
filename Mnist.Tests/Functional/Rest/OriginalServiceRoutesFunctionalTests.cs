using System.Net.Http.Headers;
using Grpc.Core;

namespace Mnist.Tests.Functional.Rest;

/// <summary>The Python original services' routes (multipart upload, sample by id, probes) on the real server.</summary>
[Category("Functional")]
public class OriginalServiceRoutesFunctionalTests : ServerFixture
{
    private static MultipartFormDataContent Upload(byte[] file, string field = "file")
    {
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = MediaTypeHeaderValue.Parse("image/png");
        return new MultipartFormDataContent { { part, field, "digit.png" } };
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    public async Task PostPredict_MultipartPngOfTestDigit_PredictsItsLabel(int index)
    {
        var response = await JsonResponse.ReadAsync(Server.Http.PostAsync("/predict", Upload(MnistTestDigits.Png(index))));

        Assert.That(response.Status, Is.EqualTo(200), response.Text);
        Assert.That(response.Json.GetProperty("prediction").GetInt32(), Is.EqualTo(TestModel.TestSet.Labels[index]));
        var probs = response.Json.GetProperty("probs").EnumerateArray().Select(p => p.GetDouble()).ToArray();
        Assert.That(probs, Has.Length.EqualTo(10));
        Assert.That(probs.Sum(), Is.EqualTo(1).Within(1e-4));
        Assert.That(Array.IndexOf(probs, probs.Max()), Is.EqualTo(TestModel.TestSet.Labels[index]));
    }

    [Test]
    public async Task PostPredict_FileUnderAnotherName_400NamesTheFields()
    {
        var response = await JsonResponse.ReadAsync(Server.Http.PostAsync("/predict", Upload(MnistTestDigits.Png(0), "image")));

        response.AssertError(400, StatusCode.InvalidArgument);
        Assert.That(response.Message, Does.Contain("'file'").And.Contain("'image'"));
    }

    [Test]
    public async Task PostPredict_NotMultipart_400()
    {
        var response = await JsonResponse.ReadAsync(Server.Http.PostAsync("/predict", new ByteArrayContent(MnistTestDigits.Png(0))));

        response.AssertError(400, StatusCode.InvalidArgument);
        Assert.That(response.Message, Does.Contain("multipart/form-data"));
    }

    [Test]
    public async Task PostPredict_GarbageFile_400()
    {
        var response = await JsonResponse.ReadAsync(Server.Http.PostAsync("/predict", Upload("not a picture"u8.ToArray())));

        response.AssertError(400, StatusCode.InvalidArgument);
        Assert.That(response.Message, Is.EqualTo("not an image: the data starts with 0x6E6F742061207069; send a PNG or JPEG file"));
    }

    [Test]
    public async Task PostPredict_HugeClaimedImage_429()
    {
        var response = await JsonResponse.ReadAsync(Server.Http.PostAsync("/predict", Upload(HandMadePng.Gray8(60000, 60000, []))));

        response.AssertError(429, StatusCode.ResourceExhausted);
    }

    [Test]
    public async Task PostPredict_UploadOverTheLimit_413()
    {
        var response = await JsonResponse.ReadAsync(Server.Http.PostAsync("/predict", Upload(new byte[5 * 1024 * 1024])));

        response.AssertError(413, StatusCode.ResourceExhausted);
    }

    [Test]
    public async Task PostPredict_TwoFileSections_400AndTheFirstIsNotPredicted()
    {
        var form = Upload(MnistTestDigits.Png(0));
        var second = new ByteArrayContent(MnistTestDigits.Png(1));
        second.Headers.ContentType = MediaTypeHeaderValue.Parse("image/png");
        form.Add(second, "file", "other.png");

        var response = await JsonResponse.ReadAsync(Server.Http.PostAsync("/predict", form));

        response.AssertError(400, StatusCode.InvalidArgument);
        Assert.That(response.Message, Does.Contain("more than one file"));
    }

    [Test]
    public async Task PostPredict_ChunkedTwoSectionsOf3MiB_RefusedAtTheSecondSection()
    {
        var form = Upload(new byte[3 * 1024 * 1024]);
        form.Add(new ByteArrayContent(new byte[3 * 1024 * 1024]), "file", "other.png");
        // No Content-Length: the server learns the size only by reading.
        var chunked = new StreamContent(new UnknownLengthStream(await form.ReadAsByteArrayAsync()));
        chunked.Headers.ContentType = form.Headers.ContentType;

        // A client of its own: the server stops reading at MAX_UPLOAD_BYTES and closes this connection after answering.
        using var http = new HttpClient { BaseAddress = Server.HttpAddress, Timeout = InferenceServer.Timeout };
        var response = await JsonResponse.ReadAsync(http.PostAsync("/predict", chunked));

        response.AssertError(400, StatusCode.InvalidArgument);
        Assert.That(response.Message, Does.Contain("more than one file"));
    }

    [Test]
    public async Task GetPredictId_TestId_OriginalShapeWithTheModelsAnswer()
    {
        var expected = await Server.Client.PredictTestSampleAsync(new V1.PredictTestSampleRequest { Id = 21 }).ResponseAsync.WaitAsync(InferenceServer.Timeout);

        var response = await JsonResponse.ReadAsync(Server.Http.GetAsync("/predict/21"));

        Assert.That(response.Status, Is.EqualTo(200), response.Text);
        var json = response.Json;
        Assert.That(json.EnumerateObject().Select(p => p.Name), Is.EqualTo((string[])["id", "predicted", "probs", "true_label"]));
        Assert.That(json.GetProperty("id").GetInt32(), Is.EqualTo(21));
        Assert.That(json.GetProperty("true_label").GetInt32(), Is.EqualTo(TestModel.TestSet.Labels[21]));
        Assert.That(json.GetProperty("probs").EnumerateArray().Select(p => p.GetSingle()), Is.EqualTo(expected.Prediction.Probabilities).Within(1e-6f));
        Assert.That(json.GetProperty("predicted").GetInt32(), Is.EqualTo(expected.Prediction.Digit));
    }

    [TestCase("abc")]
    [TestCase("10000")]
    public async Task GetPredictId_BadId_400(string id)
    {
        var response = await JsonResponse.ReadAsync(Server.Http.GetAsync($"/predict/{id}"));

        response.AssertError(400, StatusCode.InvalidArgument);
    }

    [TestCase("/health")]
    [TestCase("/healthz")]
    public async Task GetHealth_Serving_200Ok(string path)
    {
        var response = await JsonResponse.ReadAsync(Server.Http.GetAsync(path));

        Assert.That(response.Status, Is.EqualTo(200));
        Assert.That(response.Json.GetProperty("status").GetString(), Is.EqualTo("ok"));
    }
}
