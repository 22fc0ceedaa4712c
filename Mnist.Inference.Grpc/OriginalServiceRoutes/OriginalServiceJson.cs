using Mnist.Inference.Grpc.Errors;
using System.Text.Json;

using Mnist.Inference.Grpc.Rest;

namespace Mnist.Inference.Grpc.OriginalServiceRoutes;

/// <summary>Writes the original services' snake_case JSON bodies (their field names are their contract, not proto3 JSON).</summary>
internal static class OriginalServiceJson
{
    public static async Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> writeObject)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonError.ContentType;
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, JsonError.WriterOptions))
        {
            writer.WriteStartObject();
            writeObject(writer);
            writer.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    public static void WriteNumbers(Utf8JsonWriter writer, string name, IEnumerable<float> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteNumberValue(value);
        }

        writer.WriteEndArray();
    }
}
