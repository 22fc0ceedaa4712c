using Mnist.Model;
using System.Runtime.InteropServices;
using Mnist.Inference.Grpc.Classification;
using Google.Protobuf;
using Inference;
using Mnist.Model.Network;
using static Mnist.Inference.Grpc.OpenInference.MnistModelDescription;
using OutputTensor = Inference.ModelInferResponse.Types.InferOutputTensor;

namespace Mnist.Inference.Grpc.OpenInference;

/// <summary>
/// The response to a checked request: the outputs it asked for, in its order, as raw contents when it sent raw
/// input (tritonclient reads raw outputs) and typed contents otherwise.
/// </summary>
internal static class InferResponseWriter
{
    public static ModelInferResponse Write(string id, InferBatch batch, DigitBatchPrediction answers)
    {
        var (probabilities, digits, version) = answers;
        var response = new ModelInferResponse { ModelName = Name, ModelVersion = version, Id = id };
        foreach (var name in batch.Outputs)
        {
            var probabilitiesWanted = name == ProbabilitiesOutput;
            var tensor = new OutputTensor
            {
                Name = name,
                Datatype = probabilitiesWanted ? TensorDataTypes.Fp32 : TensorDataTypes.Int64,
            };
            tensor.Shape.Add(batch.Count);
            if (probabilitiesWanted)
            {
                tensor.Shape.Add(MnistShape.ClassCount);
            }

            if (batch.RawOutput)
            {
                response.RawOutputContents.Add(probabilitiesWanted ? RawFloats(probabilities) : RawLongs(digits));
            }
            else
            {
                tensor.Contents = new InferTensorContents();
                if (probabilitiesWanted)
                {
                    tensor.Contents.Fp32Contents.Add(probabilities);
                }
                else
                {
                    tensor.Contents.Int64Contents.Add(digits);
                }
            }

            response.Outputs.Add(tensor);
        }

        return response;
    }

    // The spec's raw contents are little-endian, as is every platform TorchSharp runs on: the arrays' bytes as they are.
    private static ByteString RawFloats(float[] values) => ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));

    private static ByteString RawLongs(long[] values) => ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
}
