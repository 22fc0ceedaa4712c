using Mnist.Inference.Grpc.Errors;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Inference;
using InputTensor = Inference.ModelInferRequest.Types.InferInputTensor;
using RequestedOutput = Inference.ModelInferRequest.Types.InferRequestedOutputTensor;

namespace Mnist.Inference.Grpc.OpenInference;

/// <summary>
/// The REST inference request (<c>$inference_request</c>: <c>id</c>, <c>parameters</c>, <c>inputs</c>, <c>outputs</c>)
/// read into the gRPC message, so both transports share one checker. Tensor <c>data</c> may be flat or nested; its
/// elements go into the typed contents of the tensor's datatype (BYTES elements are base64 strings of the files).
/// Parameters are read and ignored: the model defines none.
/// </summary>
internal static class InferRequestJson
{
    public static ModelInferRequest Read(JsonElement root, string modelName, string modelVersion)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("the body must be a JSON object with \"inputs\"");
        }

        var request = new ModelInferRequest { ModelName = modelName, ModelVersion = modelVersion };
        if (root.TryGetProperty("id", out var id))
        {
            request.Id = id.ValueKind == JsonValueKind.String ? id.GetString()! : throw Invalid("\"id\" must be a string");
        }

        if (!root.TryGetProperty("inputs", out var inputs) || inputs.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("the body needs \"inputs\": an array of {\"name\", \"shape\", \"datatype\", \"data\"}");
        }

        foreach (var input in inputs.EnumerateArray())
        {
            request.Inputs.Add(ReadInput(input));
        }

        if (root.TryGetProperty("outputs", out var outputs))
        {
            if (outputs.ValueKind != JsonValueKind.Array)
            {
                throw Invalid("\"outputs\" must be an array of {\"name\"}");
            }

            foreach (var output in outputs.EnumerateArray())
            {
                request.Outputs.Add(new RequestedOutput { Name = RequiredString(output, "name", "each output") });
            }
        }

        return request;
    }

    private static InputTensor ReadInput(JsonElement input)
    {
        var tensor = new InputTensor
        {
            Name = RequiredString(input, "name", "each input"),
            Datatype = RequiredString(input, "datatype", "each input"),
        };
        if (!input.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"input '{tensor.Name}' needs \"shape\": an array of integers");
        }

        foreach (var dimension in shape.EnumerateArray())
        {
            tensor.Shape.Add(dimension.ValueKind == JsonValueKind.Number && dimension.TryGetInt64(out var d)
                ? d
                : throw Invalid($"input '{tensor.Name}' has a shape dimension {dimension.GetRawText()}; dimensions are integers"));
        }

        if (!input.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw Invalid($"input '{tensor.Name}' needs \"data\": an array (flat or nested) of its elements");
        }

        tensor.Contents = new InferTensorContents();
        AddElements(tensor, data);
        return tensor;
    }

    // Row-major order, whatever the nesting.
    private static void AddElements(InputTensor tensor, JsonElement array)
    {
        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind == JsonValueKind.Array)
            {
                AddElements(tensor, element);
                continue;
            }

            var contents = tensor.Contents;
            switch (tensor.Datatype)
            {
                case TensorDataTypes.Fp32:
                    contents.Fp32Contents.Add(element.ValueKind == JsonValueKind.Number
                        ? (float)element.GetDouble()
                        : throw Invalid($"input '{tensor.Name}' is FP32 but has the element {element.GetRawText()}; expected numbers"));
                    break;
                case TensorDataTypes.Uint8:
                    contents.UintContents.Add(element.ValueKind == JsonValueKind.Number && element.TryGetUInt32(out var value)
                        ? value
                        : throw Invalid($"input '{tensor.Name}' is UINT8 but has the element {element.GetRawText()}; expected integers 0..255"));
                    break;
                case TensorDataTypes.Bytes:
                    contents.BytesContents.Add(element.ValueKind == JsonValueKind.String && element.TryGetBytesFromBase64(out var file)
                        ? UnsafeByteOperations.UnsafeWrap(file)
                        : throw Invalid($"input '{tensor.Name}' is BYTES: each element must be a base64 string of an encoded image file"));
                    break;
                default:
                    // The checker refuses the datatype itself, saying which ones the input takes.
                    return;
            }
        }
    }

    private static string RequiredString(JsonElement element, string property, string what) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Invalid($"{what} needs \"{property}\": a string");

    private static RpcException Invalid(string detail) => Statuses.InvalidArgument(detail);
}
