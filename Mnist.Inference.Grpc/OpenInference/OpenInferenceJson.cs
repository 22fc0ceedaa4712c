using System.Text.Json;
using Inference;

namespace Mnist.Inference.Grpc.OpenInference;

/// <summary>The REST API's response objects, written as the specification names their keys (snake_case, flat <c>data</c>).</summary>
internal static class OpenInferenceJson
{
    public static void WriteInferResponse(Utf8JsonWriter json, ModelInferResponse response)
    {
        json.WriteStartObject();
        json.WriteString("model_name", response.ModelName);
        json.WriteString("model_version", response.ModelVersion);
        if (response.Id.Length > 0)
        {
            json.WriteString("id", response.Id);
        }

        json.WriteStartArray("outputs");
        foreach (var output in response.Outputs)
        {
            json.WriteStartObject();
            json.WriteString("name", output.Name);
            json.WriteString("datatype", output.Datatype);
            WriteShape(json, output.Shape);
            json.WriteStartArray("data");
            foreach (var value in output.Contents.Fp32Contents)
            {
                json.WriteNumberValue(value);
            }

            foreach (var value in output.Contents.Int64Contents)
            {
                json.WriteNumberValue(value);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void WriteModelMetadata(Utf8JsonWriter json, ModelMetadataResponse metadata)
    {
        json.WriteStartObject();
        json.WriteString("name", metadata.Name);
        json.WriteStartArray("versions");
        foreach (var version in metadata.Versions)
        {
            json.WriteStringValue(version);
        }

        json.WriteEndArray();
        json.WriteString("platform", metadata.Platform);
        WriteTensors(json, "inputs", metadata.Inputs);
        WriteTensors(json, "outputs", metadata.Outputs);
        json.WriteEndObject();
    }

    public static void WriteServerMetadata(Utf8JsonWriter json, ServerMetadataResponse metadata)
    {
        json.WriteStartObject();
        json.WriteString("name", metadata.Name);
        json.WriteString("version", metadata.Version);
        json.WriteStartArray("extensions");
        foreach (var extension in metadata.Extensions)
        {
            json.WriteStringValue(extension);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteTensors(Utf8JsonWriter json, string property, IEnumerable<ModelMetadataResponse.Types.TensorMetadata> tensors)
    {
        json.WriteStartArray(property);
        foreach (var tensor in tensors)
        {
            json.WriteStartObject();
            json.WriteString("name", tensor.Name);
            json.WriteString("datatype", tensor.Datatype);
            WriteShape(json, tensor.Shape);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteShape(Utf8JsonWriter json, IEnumerable<long> shape)
    {
        json.WriteStartArray("shape");
        foreach (var dimension in shape)
        {
            json.WriteNumberValue(dimension);
        }

        json.WriteEndArray();
    }
}
