using Mnist.Model;
using System.Buffers.Binary;
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
    /// <param name="probabilities">N x 10 softmax values, image after image.</param>
    /// <param name="digits">The N most likely digits.</param>
    public static ModelInferResponse Write(string id, string version, InferBatch batch, float[] probabilities, long[] digits)
    {
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

    private static ByteString RawFloats(float[] values)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        }

        return UnsafeByteOperations.UnsafeWrap(bytes);
    }

    private static ByteString RawLongs(long[] values)
    {
        var bytes = new byte[values.Length * sizeof(long)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), values[i]);
        }

        return UnsafeByteOperations.UnsafeWrap(bytes);
    }
}
