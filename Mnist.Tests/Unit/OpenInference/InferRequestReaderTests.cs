using System.Buffers.Binary;
using Google.Protobuf;
using Grpc.Core;
using Inference;
using Mnist.Inference.Grpc.OpenInference;
using InputTensor = Inference.ModelInferRequest.Types.InferInputTensor;

namespace Mnist.Tests.Unit.OpenInference;

/// <summary>What the checker accepts before anything runs, and what its refusals say.</summary>
[Category("Unit")]
public class InferRequestReaderTests
{
    private static readonly byte[][] s_files = [[1, 2, 3], [], [9]];

    [TestCase(new long[] { 3, 1, 28, 28 })]
    [TestCase(new long[] { 3, 28, 28 })]
    [TestCase(new long[] { 3, 784 })]
    public void Read_Fp32InAnyAcceptedShape_GivesTheBytesToTensorWouldHaveComeFrom(long[] shape)
    {
        var bytes = Enumerable.Range(0, 3 * 784).Select(i => (byte)(i * 7)).ToArray();
        var request = Request(Tensor("input", "FP32", shape, c => c.Fp32Contents.Add(bytes.Select(b => b / 255f))));

        var batch = InferRequestReader.Read(request);

        Assert.That(batch.Count, Is.EqualTo(3));
        Assert.That(batch.Pixels, Is.EqualTo(bytes));
        Assert.That(batch.RawOutput, Is.False);
        Assert.That(batch.Outputs, Is.EqualTo((string[])["probabilities", "digit"]));
    }

    [Test]
    public void Read_RawFp32_GivesTheBytesAndAsksForRawOutput()
    {
        var bytes = Enumerable.Range(0, 2 * 784).Select(i => (byte)i).ToArray();
        var raw = new byte[bytes.Length * 4];
        for (var i = 0; i < bytes.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), bytes[i] / 255f);
        }

        var request = Request(Tensor("input", "FP32", [2, 1, 28, 28]));
        request.RawInputContents.Add(ByteString.CopyFrom(raw));

        var batch = InferRequestReader.Read(request);

        Assert.That(batch.Pixels, Is.EqualTo(bytes));
        Assert.That(batch.RawOutput, Is.True);
    }

    [Test]
    public void Read_RawFp32_RoundsEveryValueAsTypedContentsDo()
    {
        // Any intensity, not only b/255: 0, 1, values just off them, and values whose x*255 lies at or near a half.
        var random = new Random(7);
        var values = Enumerable.Range(0, 2 * 784).Select(_ => random.NextSingle()).ToArray();
        float[] chosen = [0f, 1f, 1e-7f, 0.99999994f, 0.5f / 255, 1.5f / 255, 2.5f / 255, 127.5f / 255, 254.5f / 255, 0.5f];
        for (var i = 0; i < chosen.Length; i++)
        {
            values[i * 97] = chosen[i];
        }

        var typed = Request(Tensor("input", "FP32", [2, 784], c => c.Fp32Contents.Add(values)));
        var raw = Request(Tensor("input", "FP32", [2, 784]));
        raw.RawInputContents.Add(RawFloats(values));

        Assert.That(InferRequestReader.Read(raw).Pixels, Is.EqualTo(InferRequestReader.Read(typed).Pixels));
    }

    // 784 elements: 24 whole steps of 32 for the vector path, then a tail of 16 read one by one.
    [TestCase(40, 1.5f, "element 40 is 1.5; FP32 pixels are intensities in [0, 1]")]
    [TestCase(40, -0.1f, "element 40 is -0.1; FP32 pixels are intensities in [0, 1]")]
    [TestCase(63, float.NaN, "element 63 is NaN; FP32 pixels are intensities in [0, 1]")]
    [TestCase(780, 1.0000001f, "element 780 is 1.0000001; FP32 pixels are intensities in [0, 1]")]
    public void Read_RawFp32OutsideUnitRange_InvalidArgumentNamingTheElement(int index, float value, string expected)
    {
        var values = new float[784];
        values[index] = value;
        var request = Request(Tensor("input", "FP32", [1, 784]));
        request.RawInputContents.Add(RawFloats(values));

        var e = Assert.Throws<RpcException>(() => InferRequestReader.Read(request))!;

        Assert.That(e.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(e.Status.Detail, Does.Contain(expected));
    }

    [Test]
    public void Read_RawUint8_GivesTheBytes()
    {
        var bytes = Enumerable.Range(0, 784).Select(i => (byte)(255 - (i % 256))).ToArray();
        var request = Request(Tensor("input", "UINT8", [1, 784]));
        request.RawInputContents.Add(ByteString.CopyFrom(bytes));

        Assert.That(InferRequestReader.Read(request).Pixels, Is.EqualTo(bytes));
    }

    [Test]
    public void Read_RawBytesElements_SplitsEachLengthPrefixedFile()
    {
        var raw = new MemoryStream();
        foreach (var file in s_files)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)file.Length);
            raw.Write(length);
            raw.Write(file);
        }

        var request = Request(Tensor("image", "BYTES", [3]));
        request.RawInputContents.Add(ByteString.CopyFrom(raw.ToArray()));

        var batch = InferRequestReader.Read(request);

        Assert.That(batch.Images!.Select(i => i.ToArray()), Is.EqualTo(s_files));
    }

    [Test]
    public void Read_RequestedOutputs_KeepsTheirOrder()
    {
        var request = Request(Tensor("input", "UINT8", [1, 784], c => c.UintContents.Add(new uint[784])));
        request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "digit" });

        Assert.That(InferRequestReader.Read(request).Outputs, Is.EqualTo((string[])["digit"]));
    }

    [TestCase("input", "FP32", new long[] { 2, 1, 28, 28 }, 784, "input 'input' has 784 elements in contents.fp32_contents; shape [2,1,28,28] needs 1568")]
    [TestCase("input", "FP32", new long[] { 1, 1, 28, 27 }, 784, "input 'input' has shape [1,1,28,27]; expected [N,1,28,28], [N,28,28] or [N,784]")]
    [TestCase("input", "FP32", new long[] { 0, 784 }, 0, "input 'input' has a batch of 0; expected 1 to 1024 images")]
    [TestCase("input", "FP32", new long[] { 1025, 784 }, 0, "input 'input' has a batch of 1025; expected 1 to 1024 images")]
    [TestCase("input", "FP16", new long[] { 1, 784 }, 784, "input 'input' has datatype 'FP16'; expected FP32")]
    [TestCase("pixels", "FP32", new long[] { 1, 784 }, 784, "unknown input 'pixels'; mnist takes 'input'")]
    [TestCase("image", "FP32", new long[] { 1 }, 1, "input 'image' has datatype 'FP32'; expected BYTES")]
    public void Read_TypedContentsNotMatchingTheModel_InvalidArgumentSayingWhatWasExpected(string name, string datatype, long[] shape, int elements, string expected)
    {
        var request = Request(Tensor(name, datatype, shape, c => c.Fp32Contents.Add(new float[elements])));

        var e = Assert.Throws<RpcException>(() => InferRequestReader.Read(request))!;

        Assert.That(e.StatusCode, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(e.Status.Detail, Does.StartWith(expected));
    }

    [Test]
    public void Read_RawSizeNotMatchingShape_InvalidArgumentWithTheExpectedBytes()
    {
        var request = Request(Tensor("input", "FP32", [2, 784]));
        request.RawInputContents.Add(ByteString.CopyFrom(new byte[784 * 4]));

        var e = Assert.Throws<RpcException>(() => InferRequestReader.Read(request))!;

        Assert.That(e.Status.Detail, Is.EqualTo("raw_input_contents of 'input' has 3136 bytes; expected 6272 (1568 FP32 elements x 4 bytes for shape [2,784])"));
    }

    [Test]
    public void Read_RawAndTypedContents_InvalidArgument()
    {
        var request = Request(Tensor("input", "UINT8", [1, 784], c => c.UintContents.Add(new uint[784])));
        request.RawInputContents.Add(ByteString.CopyFrom(new byte[784]));

        var e = Assert.Throws<RpcException>(() => InferRequestReader.Read(request))!;

        Assert.That(e.Status.Detail, Does.Contain("has contents and raw_input_contents"));
    }

    [TestCase(1.5f, "element 5 is 1.5; FP32 pixels are intensities in [0, 1]")]
    [TestCase(-0.1f, "element 5 is -0.1; FP32 pixels are intensities in [0, 1]")]
    [TestCase(float.NaN, "element 5 is NaN; FP32 pixels are intensities in [0, 1]")]
    public void Read_Fp32OutsideUnitRange_InvalidArgument(float value, string expected)
    {
        var pixels = new float[784];
        pixels[5] = value;
        var request = Request(Tensor("input", "FP32", [1, 784], c => c.Fp32Contents.Add(pixels)));

        var e = Assert.Throws<RpcException>(() => InferRequestReader.Read(request))!;

        Assert.That(e.Status.Detail, Does.Contain(expected));
    }

    [Test]
    public void Read_Uint8Above255_InvalidArgument()
    {
        var pixels = new uint[784];
        pixels[3] = 256;
        var request = Request(Tensor("input", "UINT8", [1, 784], c => c.UintContents.Add(pixels)));

        var e = Assert.Throws<RpcException>(() => InferRequestReader.Read(request))!;

        Assert.That(e.Status.Detail, Is.EqualTo("input 'input' element 3 is 256; UINT8 pixels are 0..255"));
    }

    [Test]
    public void Read_ElementsInAnotherTypesField_InvalidArgumentNamingTheField()
    {
        var request = Request(Tensor("input", "FP32", [1, 784], c => c.Fp64Contents.Add(new double[784])));

        var e = Assert.Throws<RpcException>(() => InferRequestReader.Read(request))!;

        Assert.That(e.Status.Detail, Is.EqualTo("input 'input' is FP32: its elements go in contents.fp32_contents, and only there"));
    }

    [TestCase("logits", "unknown output 'logits'")]
    [TestCase("digit", "output 'digit' is requested twice")]
    public void Read_BadRequestedOutputs_InvalidArgument(string second, string expected)
    {
        var request = Request(Tensor("input", "UINT8", [1, 784], c => c.UintContents.Add(new uint[784])));
        request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = "digit" });
        request.Outputs.Add(new ModelInferRequest.Types.InferRequestedOutputTensor { Name = second });

        var e = Assert.Throws<RpcException>(() => InferRequestReader.Read(request))!;

        Assert.That(e.Status.Detail, Does.StartWith(expected));
    }

    [Test]
    public void Read_RawBytesElementLongerThanTheRest_InvalidArgument()
    {
        var raw = new byte[6];
        BinaryPrimitives.WriteUInt32LittleEndian(raw, 10);
        var request = Request(Tensor("image", "BYTES", [1]));
        request.RawInputContents.Add(ByteString.CopyFrom(raw));

        var e = Assert.Throws<RpcException>(() => InferRequestReader.Read(request))!;

        Assert.That(e.Status.Detail, Is.EqualTo("raw_input_contents of 'image': element 0 declares 10 bytes but only 2 follow"));
    }

    private static ByteString RawFloats(float[] values)
    {
        var raw = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * 4), values[i]);
        }

        return ByteString.CopyFrom(raw);
    }

    private static ModelInferRequest Request(InputTensor tensor)
    {
        var request = new ModelInferRequest { ModelName = "mnist" };
        request.Inputs.Add(tensor);
        return request;
    }

    private static InputTensor Tensor(string name, string datatype, long[] shape, Action<InferTensorContents>? fill = null)
    {
        var tensor = new InputTensor { Name = name, Datatype = datatype };
        tensor.Shape.Add(shape);
        if (fill is not null)
        {
            tensor.Contents = new InferTensorContents();
            fill(tensor.Contents);
        }

        return tensor;
    }
}
