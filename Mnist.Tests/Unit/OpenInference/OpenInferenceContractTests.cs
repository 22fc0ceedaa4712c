using Google.Protobuf.Reflection;
using Inference;

namespace Mnist.Tests.Unit.OpenInference;

/// <summary>
/// Pins the wire contract of protos/inference/grpc_predict_v2.proto to the published Open Inference Protocol: every
/// service, method, message, field name, number, type and cardinality as kserve/open-inference-protocol's
/// open_inference_grpc.proto (and kserve/kserve's docs/predict-api/v2/grpc_predict_v2.proto, of which it is a
/// superset) gives them. The table is written from the published file, not from ours.
/// </summary>
[Category("Unit")]
public class OpenInferenceContractTests
{
    private static readonly string[] s_publishedMethods =
    [
        "ServerLive(inference.ServerLiveRequest) returns (inference.ServerLiveResponse)",
        "ServerReady(inference.ServerReadyRequest) returns (inference.ServerReadyResponse)",
        "ModelReady(inference.ModelReadyRequest) returns (inference.ModelReadyResponse)",
        "ServerMetadata(inference.ServerMetadataRequest) returns (inference.ServerMetadataResponse)",
        "ModelMetadata(inference.ModelMetadataRequest) returns (inference.ModelMetadataResponse)",
        "ModelInfer(inference.ModelInferRequest) returns (inference.ModelInferResponse)",
    ];

    // message.field = number: [repeated] type, as the published file declares them; maps as map<key, value>.
    private static readonly string[] s_publishedFields =
    [
        "inference.ServerLiveRequest",
        "inference.ServerLiveResponse.live = 1: bool",
        "inference.ServerReadyRequest",
        "inference.ServerReadyResponse.ready = 1: bool",
        "inference.ModelReadyRequest.name = 1: string",
        "inference.ModelReadyRequest.version = 2: string",
        "inference.ModelReadyResponse.ready = 1: bool",
        "inference.ServerMetadataRequest",
        "inference.ServerMetadataResponse.name = 1: string",
        "inference.ServerMetadataResponse.version = 2: string",
        "inference.ServerMetadataResponse.extensions = 3: repeated string",
        "inference.ModelMetadataRequest.name = 1: string",
        "inference.ModelMetadataRequest.version = 2: string",
        "inference.ModelMetadataResponse.TensorMetadata.name = 1: string",
        "inference.ModelMetadataResponse.TensorMetadata.datatype = 2: string",
        "inference.ModelMetadataResponse.TensorMetadata.shape = 3: repeated int64",
        "inference.ModelMetadataResponse.name = 1: string",
        "inference.ModelMetadataResponse.versions = 2: repeated string",
        "inference.ModelMetadataResponse.platform = 3: string",
        "inference.ModelMetadataResponse.inputs = 4: repeated inference.ModelMetadataResponse.TensorMetadata",
        "inference.ModelMetadataResponse.outputs = 5: repeated inference.ModelMetadataResponse.TensorMetadata",
        "inference.ModelMetadataResponse.properties = 6: map<string, string>",
        "inference.ModelInferRequest.InferInputTensor.name = 1: string",
        "inference.ModelInferRequest.InferInputTensor.datatype = 2: string",
        "inference.ModelInferRequest.InferInputTensor.shape = 3: repeated int64",
        "inference.ModelInferRequest.InferInputTensor.parameters = 4: map<string, inference.InferParameter>",
        "inference.ModelInferRequest.InferInputTensor.contents = 5: inference.InferTensorContents",
        "inference.ModelInferRequest.InferRequestedOutputTensor.name = 1: string",
        "inference.ModelInferRequest.InferRequestedOutputTensor.parameters = 2: map<string, inference.InferParameter>",
        "inference.ModelInferRequest.model_name = 1: string",
        "inference.ModelInferRequest.model_version = 2: string",
        "inference.ModelInferRequest.id = 3: string",
        "inference.ModelInferRequest.parameters = 4: map<string, inference.InferParameter>",
        "inference.ModelInferRequest.inputs = 5: repeated inference.ModelInferRequest.InferInputTensor",
        "inference.ModelInferRequest.outputs = 6: repeated inference.ModelInferRequest.InferRequestedOutputTensor",
        "inference.ModelInferRequest.raw_input_contents = 7: repeated bytes",
        "inference.ModelInferResponse.InferOutputTensor.name = 1: string",
        "inference.ModelInferResponse.InferOutputTensor.datatype = 2: string",
        "inference.ModelInferResponse.InferOutputTensor.shape = 3: repeated int64",
        "inference.ModelInferResponse.InferOutputTensor.parameters = 4: map<string, inference.InferParameter>",
        "inference.ModelInferResponse.InferOutputTensor.contents = 5: inference.InferTensorContents",
        "inference.ModelInferResponse.model_name = 1: string",
        "inference.ModelInferResponse.model_version = 2: string",
        "inference.ModelInferResponse.id = 3: string",
        "inference.ModelInferResponse.parameters = 4: map<string, inference.InferParameter>",
        "inference.ModelInferResponse.outputs = 5: repeated inference.ModelInferResponse.InferOutputTensor",
        "inference.ModelInferResponse.raw_output_contents = 6: repeated bytes",
        "inference.InferParameter.bool_param = 1: bool (oneof parameter_choice)",
        "inference.InferParameter.int64_param = 2: int64 (oneof parameter_choice)",
        "inference.InferParameter.string_param = 3: string (oneof parameter_choice)",
        "inference.InferParameter.double_param = 4: double (oneof parameter_choice)",
        "inference.InferParameter.uint64_param = 5: uint64 (oneof parameter_choice)",
        "inference.InferTensorContents.bool_contents = 1: repeated bool",
        "inference.InferTensorContents.int_contents = 2: repeated int32",
        "inference.InferTensorContents.int64_contents = 3: repeated int64",
        "inference.InferTensorContents.uint_contents = 4: repeated uint32",
        "inference.InferTensorContents.uint64_contents = 5: repeated uint64",
        "inference.InferTensorContents.fp32_contents = 6: repeated float",
        "inference.InferTensorContents.fp64_contents = 7: repeated double",
        "inference.InferTensorContents.bytes_contents = 8: repeated bytes",
    ];

    [Test]
    public void Service_GeneratedDescriptor_IsThePublishedService()
    {
        var service = GRPCInferenceService.Descriptor;

        Assert.That(service.File.Package, Is.EqualTo("inference"));
        Assert.That(service.FullName, Is.EqualTo("inference.GRPCInferenceService"));
        Assert.That(service.Methods.Select(Describe), Is.EqualTo(s_publishedMethods));
    }

    [Test]
    public void Messages_GeneratedDescriptors_HaveExactlyThePublishedFields()
    {
        var file = GRPCInferenceService.Descriptor.File;
        var ours = file.MessageTypes.SelectMany(Describe).ToArray();

        Assert.That(ours, Is.EquivalentTo(s_publishedFields));
    }

    [Test]
    public void File_GeneratedDescriptor_IsProto3WithoutImports()
    {
        var proto = FileDescriptorProto.Parser.ParseFrom(GRPCInferenceService.Descriptor.File.SerializedData);

        Assert.That(proto.Syntax, Is.EqualTo("proto3"));
        Assert.That(proto.Dependency, Is.Empty);
        Assert.That(proto.Service.Select(s => s.Name), Is.EqualTo((string[])["GRPCInferenceService"]));
    }

    private static string Describe(MethodDescriptor method)
    {
        Assert.That(method.IsClientStreaming || method.IsServerStreaming, Is.False, method.Name);
        return $"{method.Name}({method.InputType.FullName}) returns ({method.OutputType.FullName})";
    }

    private static IEnumerable<string> Describe(MessageDescriptor message)
    {
        if (message.IsMapEntry)
        {
            yield break;
        }

        foreach (var nested in message.NestedTypes.SelectMany(Describe))
        {
            yield return nested;
        }

        if (message.Fields.InDeclarationOrder().Count == 0)
        {
            yield return message.FullName;
        }

        foreach (var field in message.Fields.InDeclarationOrder())
        {
            var type = field.IsMap
                ? $"map<{TypeName(field.MessageType.FindFieldByNumber(1))}, {TypeName(field.MessageType.FindFieldByNumber(2))}>"
                : (field.IsRepeated ? "repeated " : "") + TypeName(field);
            var oneof = field.RealContainingOneof is { } o ? $" (oneof {o.Name})" : "";
            yield return $"{message.FullName}.{field.Name} = {field.FieldNumber}: {type}{oneof}";
        }
    }

    private static string TypeName(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Message => field.MessageType.FullName,
        FieldType.Enum => field.EnumType.FullName,
        FieldType.Bool => "bool",
        FieldType.String => "string",
        FieldType.Bytes => "bytes",
        FieldType.Int32 => "int32",
        FieldType.Int64 => "int64",
        FieldType.UInt32 => "uint32",
        FieldType.UInt64 => "uint64",
        FieldType.Float => "float",
        FieldType.Double => "double",
        var other => other.ToString(),
    };
}
