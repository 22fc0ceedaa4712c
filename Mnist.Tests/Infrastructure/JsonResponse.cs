using System.Text.Json;

namespace Mnist.Tests;

/// <summary>A response read whole: status, content type and the body parsed as JSON (null when not JSON).</summary>
internal sealed record JsonResponse(int Status, string? ContentType, string Text, JsonElement Json)
{
    public static async Task<JsonResponse> ReadAsync(Task<HttpResponseMessage> send)
    {
        using var response = await send.WaitAsync(InferenceServer.Timeout);
        var text = await response.Content.ReadAsStringAsync().WaitAsync(InferenceServer.Timeout);
        JsonElement json = default;
        try
        {
            json = JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
        }

        return new JsonResponse((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), text, json);
    }

    /// <summary>Asserts the error shape: the HTTP status, <c>{"code": n, "message": "...", "details": []}</c> and the JSON content type.</summary>
    public void AssertError(int httpStatus, global::Grpc.Core.StatusCode code)
    {
        Assert.Multiple(() =>
        {
            Assert.That(Status, Is.EqualTo(httpStatus), Text);
            Assert.That(ContentType, Is.EqualTo("application/json; charset=utf-8"));
            Assert.That(Json.ValueKind, Is.EqualTo(JsonValueKind.Object), Text);
        });
        Assert.Multiple(() =>
        {
            Assert.That(Json.GetProperty("code").GetInt32(), Is.EqualTo((int)code), Text);
            Assert.That(Json.GetProperty("message").GetString(), Is.Not.Empty);
            Assert.That(Json.GetProperty("details").GetArrayLength(), Is.Zero);
        });
    }

    public string Message => Json.GetProperty("message").GetString()!;
}
