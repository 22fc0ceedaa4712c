using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mnist.Tests.Functional.OpenInference;

/// <summary>
/// The protocol's HTTP/REST API on the real server, with the JSON of the specification's own documentation
/// (kserve/open-inference-protocol, specification/protocol/inference_rest.md): its request and response objects,
/// flat and nested tensor data, and its error object.
/// </summary>
[Category("Functional")]
public class OpenInferenceRestFunctionalTests : ServerFixture
{
    // The specification's "Inference Request Examples" request, verbatim: a model with inputs input0 and input1.
    private const string SpecExampleRequest = """
        {
          "id" : "42",
          "inputs" : [
            {
              "name" : "input0",
              "shape" : [ 2, 2 ],
              "datatype" : "UINT32",
              "data" : [ 1, 2, 3, 4 ]
            },
            {
              "name" : "input1",
              "shape" : [ 3 ],
              "datatype" : "BOOL",
              "data" : [ true ]
            }
          ],
          "outputs" : [
            {
              "name" : "output0"
            }
          ]
        }
        """;

    [Test]
    public async Task Infer_SpecExampleWithMnistTensors_AnswersTheSpecResponseObject()
    {
        // The example's document with its tensors swapped for the model's: one input of two images, one output.
        var request = JsonNode.Parse(SpecExampleRequest)!;
        request["inputs"] = new JsonArray(Input("input", "UINT8", [2, 784], Flat(0, 2, b => b)));
        request["outputs"]![0]!["name"] = "digit";

        var response = await PostAsync("/v2/models/mnist/infer", request.ToJsonString());

        Assert.That(response.Status, Is.EqualTo(200), response.Text);
        Assert.That(response.ContentType, Is.EqualTo("application/json; charset=utf-8"));
        var json = response.Json;
        Assert.That(json.GetProperty("id").GetString(), Is.EqualTo("42"));
        Assert.That(json.GetProperty("model_name").GetString(), Is.EqualTo("mnist"));
        Assert.That(json.GetProperty("model_version").GetString(), Is.EqualTo(TestModel.Version));
        var outputs = json.GetProperty("outputs");
        Assert.That(outputs.GetArrayLength(), Is.EqualTo(1));
        Assert.That(outputs[0].GetProperty("name").GetString(), Is.EqualTo("digit"));
        Assert.That(outputs[0].GetProperty("datatype").GetString(), Is.EqualTo("INT64"));
        Assert.That(outputs[0].GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()), Is.EqualTo((long[])[2]));
        Assert.That(outputs[0].GetProperty("data").EnumerateArray().Select(d => d.GetInt64()), Has.All.InRange(0L, 9L));
    }

    [Test]
    public async Task Infer_SpecExampleVerbatim_RefusedWithTheSpecErrorObject()
    {
        var toTheirModel = await PostAsync("/v2/models/mymodel/infer", SpecExampleRequest);
        var toMnist = await PostAsync("/v2/models/mnist/infer", SpecExampleRequest);

        AssertSpecError(toTheirModel, 404, "unknown model 'mymodel'");
        AssertSpecError(toMnist, 400, "the request has 2 input tensors; mnist takes exactly one");
    }

    [Test]
    public async Task Infer_NestedAndFlatData_SameAnswerAsSpecsTensorDataSection()
    {
        // "[[1, 2], [4, 5]]" and "[1, 2, 4, 5]" are the same tensor: here, image 3 as [1,28,28] FP32.
        var flat = Flat(3, 1, b => b / 255f);
        var nested = new JsonArray(new JsonArray([.. Enumerable.Range(0, 28).Select(r => (JsonNode)new JsonArray([.. flat.Skip(r * 28).Take(28).Select(v => v!.DeepClone())]))]));

        var fromFlat = await PostAsync("/v2/models/mnist/infer", Body(Input("input", "FP32", [1, 28, 28], flat)));
        var fromNested = await PostAsync("/v2/models/mnist/infer", Body(Input("input", "FP32", [1, 28, 28], nested)));

        Assert.That(fromFlat.Status, Is.EqualTo(200), fromFlat.Text);
        Assert.That(fromNested.Text, Is.EqualTo(fromFlat.Text));
        Assert.That(fromFlat.Json.GetProperty("outputs")[0].GetProperty("data").GetArrayLength(), Is.EqualTo(10));
        Assert.That(fromFlat.Json.TryGetProperty("id", out _), Is.False);
    }

    [Test]
    public async Task Infer_SameImageOverRestAndMnistV1_SameProbabilities()
    {
        var response = await PostAsync("/v2/models/mnist/infer", Body(Input("input", "UINT8", [1, 1, 28, 28], Flat(5, 1, b => b))));
        var v1 = await Server.Client.PredictAsync(new V1.PredictRequest { Pixels = Google.Protobuf.ByteString.CopyFrom(TestModel.TestSet.Image(5)) });

        var outputs = response.Json.GetProperty("outputs");
        var probabilities = outputs[0].GetProperty("data").EnumerateArray().Select(p => p.GetSingle()).ToArray();
        Assert.That(outputs[1].GetProperty("data")[0].GetInt64(), Is.EqualTo(v1.Digit));
        Assert.That(probabilities, Is.EqualTo(v1.Probabilities).Within(1e-5f));
    }

    [Test]
    public async Task Infer_EncodedImageAsBase64Bytes_ClassifiesIt()
    {
        var file = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Root, "Mnist.Tests", "TestData", "digit-7.png"));

        var response = await PostAsync("/v2/models/mnist/infer", Body(Input("image", "BYTES", [1], new JsonArray(Convert.ToBase64String(file)))));

        Assert.That(response.Status, Is.EqualTo(200), response.Text);
        Assert.That(response.Json.GetProperty("outputs")[1].GetProperty("data")[0].GetInt64(), Is.EqualTo(7));
    }

    [TestCase("""{"inputs": [{"name": "input", "shape": [2, 784], "datatype": "UINT8", "data": [1, 2, 3]}]}""", 400, "input 'input' has 3 elements in contents.uint_contents; shape [2,784] needs 1568")]
    [TestCase("""{"inputs": [{"name": "input", "shape": [1, 784], "datatype": "INT32", "data": [1]}]}""", 400, "input 'input' has datatype 'INT32'; expected FP32")]
    [TestCase("""{"inputs": """, 400, "the body is not valid JSON")]
    [TestCase("""{"id": 42, "inputs": []}""", 400, "\"id\" must be a string")]
    public async Task Infer_BadRequest_SpecErrorSayingWhatWasExpected(string body, int status, string expected)
    {
        var response = await PostAsync("/v2/models/mnist/infer", body);

        AssertSpecError(response, status, expected);
    }

    [Test]
    public async Task Infer_OtherVersion_NotFound()
    {
        var response = await PostAsync("/v2/models/mnist/versions/v0/infer", Body(Input("input", "UINT8", [1, 784], Flat(0, 1, b => b))));

        AssertSpecError(response, 404, "model 'mnist' has no version 'v0'");
    }

    [Test]
    public async Task HealthAndMetadata_SpecObjects()
    {
        var live = await GetAsync("/v2/health/live");
        var ready = await GetAsync("/v2/health/ready");
        var modelReady = await GetAsync("/v2/models/mnist/ready");
        var versionReady = await GetAsync($"/v2/models/mnist/versions/{TestModel.Version}/ready");
        var server = await GetAsync("/v2");
        var model = await GetAsync("/v2/models/mnist");

        Assert.That((live.Status, live.Json.GetProperty("live").GetBoolean()), Is.EqualTo((200, true)));
        Assert.That((ready.Status, ready.Json.GetProperty("ready").GetBoolean()), Is.EqualTo((200, true)));
        Assert.That((modelReady.Status, modelReady.Json.GetProperty("name").GetString(), modelReady.Json.GetProperty("ready").GetBoolean()), Is.EqualTo((200, "mnist", true)));
        Assert.That(versionReady.Status, Is.EqualTo(200));
        Assert.That(server.Json.GetProperty("name").GetString(), Is.Not.Empty);
        Assert.That(server.Json.GetProperty("extensions").ValueKind, Is.EqualTo(JsonValueKind.Array));
        var metadata = model.Json;
        Assert.That(metadata.GetProperty("name").GetString(), Is.EqualTo("mnist"));
        Assert.That(metadata.GetProperty("versions")[0].GetString(), Is.EqualTo(TestModel.Version));
        Assert.That(metadata.GetProperty("platform").GetString(), Is.EqualTo("torchsharp_libtorch"));
        Assert.That(metadata.GetProperty("inputs").EnumerateArray().Select(Describe), Is.EqualTo((string[])["input FP32 [-1,1,28,28]", "image BYTES [-1]"]));
        Assert.That(metadata.GetProperty("outputs").EnumerateArray().Select(Describe), Is.EqualTo((string[])["probabilities FP32 [-1,10]", "digit INT64 [-1]"]));
    }

    [Test]
    public async Task ModelMetadata_UnknownModel_NotFoundSpecError()
    {
        AssertSpecError(await GetAsync("/v2/models/resnet"), 404, "unknown model 'resnet'");
    }

    [Test]
    public async Task Infer_WrongVerb_MethodNotAllowedSpecError()
    {
        var response = await GetAsync("/v2/models/mnist/infer");

        AssertSpecError(response, 405, "GET is not allowed on /v2/models/mnist/infer; use POST");
    }

    [Test]
    public async Task Routes_OnTheGrpcPort_NotAnswered()
    {
        using var request = Server.CreateGrpcRequest("/v2/health/live", null);
        request.Method = HttpMethod.Get;

        using var response = await Server.Http2.SendAsync(request).WaitAsync(InferenceServer.Timeout);

        Assert.That((int)response.StatusCode, Is.EqualTo(404));
    }

    private static void AssertSpecError(JsonResponse response, int status, string expected)
    {
        Assert.That(response.Status, Is.EqualTo(status), response.Text);
        Assert.That(response.ContentType, Is.EqualTo("application/json; charset=utf-8"));
        Assert.That(response.Json.EnumerateObject().Select(p => p.Name), Is.EqualTo((string[])["error"]), response.Text);
        Assert.That(response.Json.GetProperty("error").GetString(), Does.StartWith(expected));
    }

    private static string Describe(JsonElement tensor) =>
        $"{tensor.GetProperty("name").GetString()} {tensor.GetProperty("datatype").GetString()} [{string.Join(',', tensor.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()))}]";

    private static JsonObject Input(string name, string datatype, long[] shape, JsonArray data) => new()
    {
        ["name"] = name,
        ["shape"] = new JsonArray([.. shape.Select(d => (JsonNode)d)]),
        ["datatype"] = datatype,
        ["data"] = data,
    };

    private static string Body(JsonObject input) => new JsonObject { ["inputs"] = new JsonArray(input) }.ToJsonString();

    private static JsonArray Flat<T>(int first, int count, Func<byte, T> value) =>
        new([.. TestModel.TestSet.Images.AsSpan(first * 784, count * 784).ToArray().Select(b => JsonValue.Create(value(b)))]);

    private Task<JsonResponse> PostAsync(string path, string body) =>
        JsonResponse.ReadAsync(Server.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json")));

    private Task<JsonResponse> GetAsync(string path) => JsonResponse.ReadAsync(Server.Http.GetAsync(path));
}
