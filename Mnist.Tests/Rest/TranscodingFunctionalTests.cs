using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mnist.Grpc.Wire;

namespace Mnist.Tests.Rest;

/// <summary>The generic transcoder over real HTTP/1.1, with a test service covering every rule shape.</summary>
public class TranscodingFunctionalTests
{
    private LibraryServer _server = null!;

    [OneTimeSetUp]
    public async Task StartServer() => _server = await LibraryServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private Task<JsonResponse> SendAsync(HttpMethod method, string path, string? json = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return JsonResponse.ReadAsync(_server.Http.SendAsync(request));
    }

    private static JsonElement Request(JsonResponse response)
    {
        Assert.That(response.Status, Is.EqualTo(200), response.Text);
        return response.Json.GetProperty("request");
    }

    [Test]
    public async Task Get_PathVariables_BindTopLevelAndNestedFields()
    {
        var response = await SendAsync(HttpMethod.Get, "/v1/shelves/fiction/books/42");

        var request = Request(response);
        Assert.That(request.GetProperty("shelf").GetString(), Is.EqualTo("fiction"));
        Assert.That(request.GetProperty("book").GetProperty("id").GetString(), Is.EqualTo("42"));
        Assert.That(response.Json.GetProperty("label").GetString(), Does.Contain("/transcoding.test.Library/GetBook"));
    }

    [Test]
    public async Task Get_AdditionalBinding_ReachesTheSameMethod()
    {
        var response = await SendAsync(HttpMethod.Get, "/v1/books/7");

        Assert.That(Request(response).GetProperty("book").GetProperty("id").GetString(), Is.EqualTo("7"));
        Assert.That(response.Json.GetProperty("label").GetString(), Does.StartWith("GetBook"));
    }

    [Test]
    public async Task Get_NothingSet_WritesDefaultValuesWithCamelCaseKeysAndEnumNames()
    {
        var request = Request(await SendAsync(HttpMethod.Get, "/v1/books/0"));

        Assert.That(request.GetProperty("pageSizes").GetArrayLength(), Is.Zero);
        Assert.That(request.GetProperty("flag").GetBoolean(), Is.False);
        Assert.That(request.GetProperty("code").GetInt32(), Is.Zero);
        Assert.That(request.GetProperty("kind").GetString(), Is.EqualTo("KIND_UNSPECIFIED"));
        Assert.That(request.TryGetProperty("page_sizes", out _), Is.False);
    }

    [Test]
    public async Task Get_QueryParameters_BindByProtoOrJsonNameWithConversion()
    {
        var response = await SendAsync(HttpMethod.Get,
            "/v1/books/1?page_sizes=10&pageSizes=20&flag=true&ratio=-1.5e2&kind=EBOOK&data=_-8&count=4294967295&weight=NaN&shelf=a%20b");

        var request = Request(response);
        Assert.That(request.GetProperty("pageSizes").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo((int[])[10, 20]));
        Assert.That(request.GetProperty("flag").GetBoolean(), Is.True);
        Assert.That(request.GetProperty("ratio").GetDouble(), Is.EqualTo(-150.0));
        Assert.That(request.GetProperty("kind").GetString(), Is.EqualTo("EBOOK"));
        Assert.That(request.GetProperty("data").GetString(), Is.EqualTo("/+8="));
        Assert.That(request.GetProperty("count").GetUInt32(), Is.EqualTo(uint.MaxValue));
        Assert.That(request.GetProperty("weight").GetString(), Is.EqualTo("NaN"));
        Assert.That(request.GetProperty("shelf").GetString(), Is.EqualTo("a b"));
    }

    [Test]
    public async Task Get_EnumByNumberAndUnknownQueryParameter_NumberBindsUnknownIgnored()
    {
        var request = Request(await SendAsync(HttpMethod.Get, "/v1/books/1?kind=1&utm_source=mail&book.title=ignored"));

        Assert.That(request.GetProperty("kind").GetString(), Is.EqualTo("PAPER"));
        // book is bound by the path, so book.title from the query is ignored as Microsoft's transcoding does.
        Assert.That(request.GetProperty("book").GetProperty("title").GetString(), Is.Empty);
    }

    [TestCase("/v1/books/abc", "path parameter 'id'")]
    [TestCase("/v1/books/99999999999999999999", "path parameter 'id'")]
    [TestCase("/v1/books/1?code=abc", "query parameter 'code'")]
    [TestCase("/v1/books/1?code=2147483648", "query parameter 'code'")]
    [TestCase("/v1/books/1?count=-1", "query parameter 'count'")]
    [TestCase("/v1/books/1?flag=yes", "query parameter 'flag'")]
    [TestCase("/v1/books/1?kind=HARDCOVER", "query parameter 'kind'")]
    [TestCase("/v1/books/1?weight=1e39", "query parameter 'weight'")]
    [TestCase("/v1/books/1?data=***", "query parameter 'data'")]
    [TestCase("/v1/books/1?pageSizes=1&pageSizes=x", "query parameter 'pageSizes'")]
    [TestCase("/v1/books/1?code=1&code=2", "given 2 times")]
    public async Task Get_UnconvertibleValue_400InvalidArgumentNamingTheParameter(string path, string expected)
    {
        var response = await SendAsync(HttpMethod.Get, path);

        response.AssertError(400, StatusCode.InvalidArgument);
        Assert.That(response.Message, Does.Contain(expected));
    }

    [Test]
    public async Task Post_BodyField_BodyIsThatFieldAndQueryBindsTheRest()
    {
        var response = await SendAsync(HttpMethod.Post, "/v1/shelves/poetry/books?code=5", """{"id": "9", "title": "Odes", "tags": ["a", "b"]}""");

        var request = Request(response);
        Assert.That(request.GetProperty("shelf").GetString(), Is.EqualTo("poetry"));
        Assert.That(request.GetProperty("book").GetProperty("title").GetString(), Is.EqualTo("Odes"));
        Assert.That(request.GetProperty("book").GetProperty("tags").GetArrayLength(), Is.EqualTo(2));
        Assert.That(request.GetProperty("code").GetInt32(), Is.EqualTo(5));
    }

    [Test]
    public async Task Post_BodyFieldWithTrailingContent_400AndOtherFieldsUntouched()
    {
        var response = await SendAsync(HttpMethod.Post, "/v1/shelves/poetry/books", """{"id": "9"}, "code": 7""");

        response.AssertError(400, StatusCode.InvalidArgument);
        Assert.That(response.Message, Does.Contain("not correctly formatted"));
    }

    [Test]
    public async Task Patch_BodyStarAndMultiSegmentName_BodyBindsAndQueryIsIgnored()
    {
        var response = await SendAsync(HttpMethod.Patch, "/v1/shelves/s1/books/b%2F2?code=5", """{"shelf": "from-body", "code": 3}""");

        var request = Request(response);
        Assert.That(request.GetProperty("name").GetString(), Is.EqualTo("shelves/s1/books/b%2F2"));
        Assert.That(request.GetProperty("shelf").GetString(), Is.EqualTo("from-body"));
        Assert.That(request.GetProperty("code").GetInt32(), Is.EqualTo(3));
    }

    [Test]
    public async Task Post_CustomVerb_MatchesOnlyWithTheVerb()
    {
        var withVerb = await SendAsync(HttpMethod.Post, "/v1/shelves/old:cancel");
        var withoutVerb = await SendAsync(HttpMethod.Post, "/v1/shelves/old");

        Assert.That(Request(withVerb).GetProperty("shelf").GetString(), Is.EqualTo("old"));
        Assert.That(withoutVerb.Status, Is.EqualTo(404));
    }

    [Test]
    public async Task Get_DoubleWildcard_CapturesTheRestOfThePath()
    {
        var request = Request(await SendAsync(HttpMethod.Get, "/v1/files/a/b/c.txt"));

        Assert.That(request.GetProperty("name").GetString(), Is.EqualTo("a/b/c.txt"));
    }

    [Test]
    public async Task Get_ResponseBody_WritesOnlyThatField()
    {
        var response = await SendAsync(HttpMethod.Get, "/v1/labels/kids");

        Assert.That(response.Status, Is.EqualTo(200));
        Assert.That(response.Json.GetString(), Is.EqualTo("GetLabel /transcoding.test.Library/GetLabel shelf=kids"));
    }

    [Test]
    public async Task Head_CustomKind_Matches()
    {
        using var response = await _server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1/heads/x")).WaitAsync(InferenceServer.Timeout);

        Assert.That((int)response.StatusCode, Is.EqualTo(200));
    }

    [TestCaseSource(typeof(GrpcHttpStatusTests), nameof(GrpcHttpStatusTests.ErrorMappings))]
    public async Task Delete_HandlerThrowsStatus_MappedHttpStatusAndStatusBody(StatusCode code, int http)
    {
        var response = await SendAsync(HttpMethod.Delete, $"/v1/failures/{(int)code}");

        response.AssertError(http, code);
        Assert.That(response.Message, Is.EqualTo($"failed with {code} as asked"));
    }

    [Test]
    public async Task Delete_HandlerThrowsUnexpectedly_500WithoutTheExceptionText()
    {
        var response = await SendAsync(HttpMethod.Delete, $"/v1/failures/{LibraryServer.UnexpectedFailureCode}");

        response.AssertError(500, StatusCode.Unknown);
        Assert.That(response.Text, Does.Not.Contain("secret").And.Not.Contain("InvalidOperationException"));
    }

    [TestCase("{\"shelf\": ", "not correctly formatted")]
    [TestCase("{\"shelf\": \"x\", \"nope\": 1}", "nope")]
    [TestCase("{\"code\": \"many\"}", "does not match")]
    [TestCase("{\"code\": 1.5}", "does not match")]
    [TestCase("{\"flag\": \"true\"}", "does not match")]
    [TestCase("[1]", "does not match")]
    public async Task Patch_BadJson_400InvalidArgument(string json, string expected)
    {
        var response = await SendAsync(HttpMethod.Patch, "/v1/shelves/a/books/b", json);

        response.AssertError(400, StatusCode.InvalidArgument);
        Assert.That(response.Message, Does.Contain(expected));
    }

    [TestCase("text/plain")]
    [TestCase("application/x-www-form-urlencoded")]
    [TestCase("application/json; charset=iso-8859-1")]
    public async Task Patch_NonJsonContentType_400(string contentType)
    {
        var response = await SendAsync(HttpMethod.Patch, "/v1/shelves/a/books/b", "{}", contentType);

        response.AssertError(400, StatusCode.InvalidArgument);
    }

    [Test]
    public async Task Patch_VendorJsonContentType_Accepted()
    {
        var response = await SendAsync(HttpMethod.Patch, "/v1/shelves/a/books/b", "{\"code\": 1}", "application/vnd.test+json");

        Assert.That(Request(response).GetProperty("code").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task Patch_BodyOverTheLimit_413ResourceExhausted()
    {
        var json = $"{{\"shelf\": \"{new string('x', LibraryServer.BodyLimit)}\"}}";

        var response = await SendAsync(HttpMethod.Patch, "/v1/shelves/a/books/b", json);

        response.AssertError(413, StatusCode.ResourceExhausted);
        Assert.That(response.Message, Does.Contain(LibraryServer.BodyLimit.ToString()));
    }

    [Test]
    public async Task Patch_ChunkedBodyOverTheLimit_413()
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($"{{\"shelf\": \"{new string('x', 2 * LibraryServer.BodyLimit)}\"}}")));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        var request = new HttpRequestMessage(HttpMethod.Patch, "/v1/shelves/a/books/b") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await JsonResponse.ReadAsync(_server.Http.SendAsync(request));

        response.AssertError(413, StatusCode.ResourceExhausted);
    }

    [Test]
    public async Task Get_WrongVerb_405WithAllow()
    {
        using var response = await _server.Http.PutAsync("/v1/books/1", null).WaitAsync(InferenceServer.Timeout);

        Assert.That((int)response.StatusCode, Is.EqualTo(405));
        Assert.That(response.Content.Headers.Allow, Is.EquivalentTo((string[])["GET"]));
    }

    [Test]
    public async Task Get_UnknownRoute_404()
    {
        using var response = await _server.Http.GetAsync("/v1/magazines/1").WaitAsync(InferenceServer.Timeout);

        Assert.That((int)response.StatusCode, Is.EqualTo(404));
    }
}
