using Mnist.Inference.Grpc.Errors;
using Mnist.Model;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Inference;
using Mnist.Model.Network;
using static Mnist.Inference.Grpc.OpenInference.MnistModelDescription;
using InputTensor = Inference.ModelInferRequest.Types.InferInputTensor;

namespace Mnist.Inference.Grpc.OpenInference;

/// <summary>
/// Checks a <see cref="ModelInferRequest"/> against the mnist model's tensors before anything runs: one input,
/// its name, datatype and shape, and the element count of its typed or raw contents against that shape. Every
/// refusal is INVALID_ARGUMENT and says what was expected.
/// </summary>
internal static class InferRequestReader
{
    private const string Expected = $"'{PixelsInput}' (FP32 or UINT8, shape [N,1,28,28], [N,28,28] or [N,784]) or '{ImageInput}' (BYTES, shape [N])";

    public static InferBatch Read(ModelInferRequest request)
    {
        if (request.Inputs.Count != 1)
        {
            throw Statuses.InvalidArgument($"the request has {request.Inputs.Count} input tensors; mnist takes exactly one: {Expected}");
        }

        var tensor = request.Inputs[0];
        var raw = request.RawInputContents.Count > 0;
        if (raw && request.RawInputContents.Count != request.Inputs.Count)
        {
            throw Statuses.InvalidArgument($"raw_input_contents has {request.RawInputContents.Count} entries; it must have one per input ({request.Inputs.Count})");
        }

        if (raw && tensor.Contents is not null)
        {
            throw Statuses.InvalidArgument($"input '{tensor.Name}' has contents and raw_input_contents; send its data in one of them");
        }

        var outputs = ReadOutputs(request.Outputs);
        var data = raw ? request.RawInputContents[0] : null;
        return tensor.Name switch
        {
            PixelsInput => ReadPixels(tensor, data, outputs, raw),
            ImageInput => ReadImages(tensor, data, outputs, raw),
            _ => throw Statuses.InvalidArgument($"unknown input '{tensor.Name}'; mnist takes {Expected}"),
        };
    }

    private static List<string> ReadOutputs(RepeatedField<ModelInferRequest.Types.InferRequestedOutputTensor> requested)
    {
        if (requested.Count == 0)
        {
            return [ProbabilitiesOutput, DigitOutput];
        }

        var outputs = new List<string>(requested.Count);
        foreach (var output in requested)
        {
            if (output.Name is not (ProbabilitiesOutput or DigitOutput))
            {
                throw Statuses.InvalidArgument($"unknown output '{output.Name}'; mnist gives '{ProbabilitiesOutput}' (FP32 [N,10]) and '{DigitOutput}' (INT64 [N])");
            }

            if (outputs.Contains(output.Name))
            {
                throw Statuses.InvalidArgument($"output '{output.Name}' is requested twice");
            }

            outputs.Add(output.Name);
        }

        return outputs;
    }

    private static InferBatch ReadPixels(InputTensor tensor, ByteString? raw, List<string> outputs, bool rawOutput)
    {
        var n = PixelBatchSize(tensor.Shape);
        var count = n * MnistShape.PixelCount;
        var shape = ShapeText(tensor.Shape);
        var pixels = new byte[count];
        switch (tensor.Datatype)
        {
            case TensorDataTypes.Fp32 when raw is not null:
                RequireRawSize(raw, count * sizeof(float), $"{count} FP32 elements x 4 bytes for shape {shape}");
                Intensities(MemoryMarshal.Cast<byte, float>(raw.Span), pixels);
                break;
            case TensorDataTypes.Fp32:
                var floats = RequireContents(tensor, c => c.Fp32Contents.Count, "fp32_contents", count, shape);
                for (var i = 0; i < count; i++)
                {
                    pixels[i] = Intensity(floats.Fp32Contents[i], i);
                }

                break;
            case TensorDataTypes.Uint8 when raw is not null:
                RequireRawSize(raw, count, $"{count} UINT8 elements x 1 byte for shape {shape}");
                raw.Span.CopyTo(pixels);
                break;
            case TensorDataTypes.Uint8:
                var ints = RequireContents(tensor, c => c.UintContents.Count, "uint_contents", count, shape);
                for (var i = 0; i < count; i++)
                {
                    var value = ints.UintContents[i];
                    pixels[i] = value <= byte.MaxValue
                        ? (byte)value
                        : throw Statuses.InvalidArgument($"input '{PixelsInput}' element {i} is {value}; UINT8 pixels are 0..255");
                }

                break;
            default:
                throw Statuses.InvalidArgument($"input '{PixelsInput}' has datatype '{tensor.Datatype}'; expected FP32 (intensities in [0, 1]) or UINT8 (0..255)");
        }

        return new InferBatch(n, pixels, null, outputs, rawOutput);
    }

    private static InferBatch ReadImages(InputTensor tensor, ByteString? raw, List<string> outputs, bool rawOutput)
    {
        if (tensor.Datatype != TensorDataTypes.Bytes)
        {
            throw Statuses.InvalidArgument($"input '{ImageInput}' has datatype '{tensor.Datatype}'; expected BYTES (one encoded PNG or JPEG file per element)");
        }

        if (tensor.Shape.Count != 1)
        {
            throw Statuses.InvalidArgument($"input '{ImageInput}' has shape {ShapeText(tensor.Shape)}; expected [N], one encoded file per element");
        }

        var n = BatchSize(tensor.Shape[0], ImageInput);
        var images = raw is null ? TypedImages(tensor, n) : RawImages(raw, n);
        return new InferBatch(n, null, images, outputs, rawOutput);
    }

    private static ReadOnlyMemory<byte>[] TypedImages(InputTensor tensor, int n)
    {
        var contents = RequireContents(tensor, c => c.BytesContents.Count, "bytes_contents", n, ShapeText(tensor.Shape));
        return [.. contents.BytesContents.Select(b => b.Memory)];
    }

    // Each element: a 4-byte little-endian length, then the file.
    private static ReadOnlyMemory<byte>[] RawImages(ByteString raw, int n)
    {
        var images = new ReadOnlyMemory<byte>[n];
        var rest = raw.Memory;
        for (var i = 0; i < n; i++)
        {
            if (rest.Length < TensorDataTypes.BytesLengthPrefix)
            {
                throw Statuses.InvalidArgument($"raw_input_contents of '{ImageInput}' holds {i} elements; shape [{n}] needs {n}, each a 4-byte little-endian length then the file");
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(rest.Span);
            rest = rest[TensorDataTypes.BytesLengthPrefix..];
            if (length > (uint)rest.Length)
            {
                throw Statuses.InvalidArgument($"raw_input_contents of '{ImageInput}': element {i} declares {length} bytes but only {rest.Length} follow");
            }

            images[i] = rest[..(int)length];
            rest = rest[(int)length..];
        }

        if (!rest.IsEmpty)
        {
            throw Statuses.InvalidArgument($"raw_input_contents of '{ImageInput}' has {rest.Length} bytes after its {n} elements; shape [{n}] needs exactly {n}");
        }

        return images;
    }

    // [N,1,28,28], [N,28,28] or [N,784].
    private static int PixelBatchSize(RepeatedField<long> shape)
    {
        var side = MnistShape.ImageSide;
        var image = shape.Count switch
        {
            4 => shape[1] == 1 && shape[2] == side && shape[3] == side,
            3 => shape[1] == side && shape[2] == side,
            2 => shape[1] == MnistShape.PixelCount,
            _ => false,
        };
        if (!image)
        {
            throw Statuses.InvalidArgument($"input '{PixelsInput}' has shape {ShapeText(shape)}; expected [N,1,28,28], [N,28,28] or [N,784]");
        }

        return BatchSize(shape[0], PixelsInput);
    }

    private static int BatchSize(long n, string input) =>
        n is >= 1 and <= MaxBatchSize
            ? (int)n
            : throw Statuses.InvalidArgument($"input '{input}' has a batch of {n}; expected 1 to {MaxBatchSize} images in one request");

    // Raw FP32 is what tritonclient sends: 32 elements a step with 256-bit vectors where the CPU has them (a batch of 64
    // is 50,176 elements), each step checked whole and converted as Intensity does one (round to nearest, ties to even);
    // a step with an element out of range, and the tail, go element by element, so the refusal names the element. The
    // spec's raw contents are little-endian, as is every platform TorchSharp runs on: the floats are read in place.
    private static void Intensities(ReadOnlySpan<float> values, Span<byte> pixels)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var step = Vector256<byte>.Count;
            var lanes = Vector256<float>.Count;
            var scale = Vector256.Create((float)byte.MaxValue);
            for (; i <= values.Length - step; i += step)
            {
                var a = Vector256.Create(values.Slice(i, lanes));
                var b = Vector256.Create(values.Slice(i + lanes, lanes));
                var c = Vector256.Create(values.Slice(i + 2 * lanes, lanes));
                var d = Vector256.Create(values.Slice(i + 3 * lanes, lanes));
                if (!InUnitRange(a) || !InUnitRange(b) || !InUnitRange(c) || !InUnitRange(d))
                {
                    break;
                }

                Vector256.Narrow(
                    Vector256.Narrow(Vector256.ConvertToInt32(Vector256.Round(a * scale)), Vector256.ConvertToInt32(Vector256.Round(b * scale))),
                    Vector256.Narrow(Vector256.ConvertToInt32(Vector256.Round(c * scale)), Vector256.ConvertToInt32(Vector256.Round(d * scale))))
                    .AsByte().CopyTo(pixels[i..]);
            }
        }

        for (; i < values.Length; i++)
        {
            pixels[i] = Intensity(values[i], i);
        }
    }

    // False for NaN too, as Intensity's test.
    private static bool InUnitRange(Vector256<float> v) =>
        Vector256.GreaterThanOrEqualAll(v, Vector256<float>.Zero) && Vector256.LessThanOrEqualAll(v, Vector256<float>.One);

    // torchvision's ToTensor gives b/255 for the byte b; rounding x*255 gives b back exactly.
    private static byte Intensity(float value, int index) =>
        value is >= 0f and <= 1f
            ? (byte)MathF.Round(value * byte.MaxValue)
            : throw Statuses.InvalidArgument($"input '{PixelsInput}' element {index} is {value}; FP32 pixels are intensities in [0, 1], as torchvision's ToTensor gives them");

    private static InferTensorContents RequireContents(InputTensor tensor, Func<InferTensorContents, int> field, string fieldName, int expected, string shape)
    {
        var contents = tensor.Contents ?? throw Statuses.InvalidArgument(
            $"input '{tensor.Name}' has no data; put its {expected} elements in contents.{fieldName} or in raw_input_contents");
        var actual = field(contents);
        var all = contents.BoolContents.Count + contents.IntContents.Count + contents.Int64Contents.Count + contents.UintContents.Count
            + contents.Uint64Contents.Count + contents.Fp32Contents.Count + contents.Fp64Contents.Count + contents.BytesContents.Count;
        if (all != actual)
        {
            throw Statuses.InvalidArgument($"input '{tensor.Name}' is {tensor.Datatype}: its elements go in contents.{fieldName}, and only there");
        }

        return actual == expected
            ? contents
            : throw Statuses.InvalidArgument($"input '{tensor.Name}' has {actual} elements in contents.{fieldName}; shape {shape} needs {expected}");
    }

    private static void RequireRawSize(ByteString raw, int expected, string what)
    {
        if (raw.Length != expected)
        {
            throw Statuses.InvalidArgument($"raw_input_contents of '{PixelsInput}' has {raw.Length} bytes; expected {expected} ({what})");
        }
    }

    private static string ShapeText(RepeatedField<long> shape) => $"[{string.Join(',', shape)}]";
}
