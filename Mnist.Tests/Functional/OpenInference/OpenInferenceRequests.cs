using System.Buffers.Binary;
using Google.Protobuf;
using Inference;
using InputTensor = Inference.ModelInferRequest.Types.InferInputTensor;

namespace Mnist.Tests.Functional.OpenInference;

/// <summary>ModelInfer requests built as a client of the protocol builds them, and their outputs read back.</summary>
internal static class OpenInferenceRequests
{
    /// <summary>Test images <paramref name="first"/>.. as raw FP32 [N,1,28,28], intensities b/255 as torchvision's ToTensor gives them.</summary>
    public static ModelInferRequest RawFp32(int first, int count)
    {
        var raw = new byte[count * 784 * sizeof(float)];
        var pixels = TestModel.TestSet.Images.AsSpan(first * 784, count * 784);
        for (var i = 0; i < pixels.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), pixels[i] / 255f);
        }

        var request = WithInput("input", "FP32", count, 1, 28, 28);
        request.RawInputContents.Add(UnsafeByteOperations.UnsafeWrap(raw));
        return request;
    }

    /// <summary>Test images as typed UINT8 contents, [N,784].</summary>
    public static ModelInferRequest TypedUint8(int first, int count)
    {
        var request = WithInput("input", "UINT8", count, 784);
        request.Inputs[0].Contents = new InferTensorContents();
        foreach (var b in TestModel.TestSet.Images.AsSpan(first * 784, count * 784))
        {
            request.Inputs[0].Contents.UintContents.Add(b);
        }

        return request;
    }

    public static ModelInferRequest WithInput(string name, string datatype, params long[] shape)
    {
        var tensor = new InputTensor { Name = name, Datatype = datatype };
        tensor.Shape.Add(shape);
        var request = new ModelInferRequest { ModelName = "mnist" };
        request.Inputs.Add(tensor);
        return request;
    }

    /// <summary>The probabilities output, raw or typed, N x 10.</summary>
    public static float[] Probabilities(ModelInferResponse response)
    {
        var index = response.Outputs.Select(o => o.Name).ToList().IndexOf("probabilities");
        Assert.That(index, Is.Not.Negative, "no probabilities output");
        if (response.RawOutputContents.Count == 0)
        {
            return [.. response.Outputs[index].Contents.Fp32Contents];
        }

        var raw = response.RawOutputContents[index].Span;
        var values = new float[raw.Length / sizeof(float)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * sizeof(float))..]);
        }

        return values;
    }

    /// <summary>The digit output, raw or typed.</summary>
    public static long[] Digits(ModelInferResponse response)
    {
        var index = response.Outputs.Select(o => o.Name).ToList().IndexOf("digit");
        Assert.That(index, Is.Not.Negative, "no digit output");
        if (response.RawOutputContents.Count == 0)
        {
            return [.. response.Outputs[index].Contents.Int64Contents];
        }

        var raw = response.RawOutputContents[index].Span;
        var values = new long[raw.Length / sizeof(long)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadInt64LittleEndian(raw[(i * sizeof(long))..]);
        }

        return values;
    }
}
