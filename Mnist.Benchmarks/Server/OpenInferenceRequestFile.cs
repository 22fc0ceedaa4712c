using System.Buffers.Binary;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Inference;
using Mnist.Model;
using Mnist.Model.Data;

namespace Mnist.Benchmarks.Server;

/// <summary>
/// Modes for a load generator that drives the Open Inference ModelInfer (<c>h2load -d FILE</c>, which costs the server's
/// cores far less CPU than a .NET client):
/// <list type="bullet">
/// <item><c>oip-request</c> writes one gRPC-framed ModelInferRequest (the 5-byte prefix: flag 0, big-endian length; then
/// the protobuf) of MNIST test images 0..B-1 as tritonclient sends them: input <c>input</c>, FP32 [B,1,28,28], b/255 in
/// raw_input_contents. Options: --data-dir (data/mnist), --batch (64), --out (required).</item>
/// <item><c>oip-check</c> sends that file's request once with Grpc.Net.Client, which reads grpc-status from the trailers
/// (h2load only sees HTTP 200), and checks the answer: both raw outputs, sized for the batch, and the digits against
/// the labels. Exit 0 when the status is OK, the outputs are whole and at least 90 % of the digits match, 1 otherwise.
/// Options: --address (http://127.0.0.1:50051), --data-dir (data/mnist), --request (required).</item>
/// </list>
/// </summary>
internal static class OpenInferenceRequestFile
{
    private const int Prefix = 5;

    public static int Write(string[] args)
    {
        var options = new BenchmarkArguments(args);
        var test = MnistDataset.LoadTest(options.Text("data-dir", "data/mnist"));
        var batch = options.Integer("batch", 64);
        var message = Request(test, batch).ToByteArray();
        var framed = new byte[Prefix + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
        message.CopyTo(framed, Prefix);
        File.WriteAllBytes(options.Text("out"), framed);
        Console.WriteLine($"test images 0..{batch - 1} as FP32 [{batch},1,28,28]: {framed.Length} bytes framed");
        return 0;
    }

    public static int Check(string[] args)
    {
        var options = new BenchmarkArguments(args);
        var test = MnistDataset.LoadTest(options.Text("data-dir", "data/mnist"));
        var request = ModelInferRequest.Parser.ParseFrom(File.ReadAllBytes(options.Text("request")).AsSpan(Prefix));
        var batch = (int)request.Inputs[0].Shape[0];
        using var channel = GrpcChannel.ForAddress(options.Text("address", "http://127.0.0.1:50051"));
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        ModelInferResponse response;
        try
        {
            response = client.ModelInfer(request, deadline: DateTime.UtcNow.AddSeconds(30));
        }
        catch (RpcException e)
        {
            Console.WriteLine($"grpc-status {(int)e.StatusCode} ({e.StatusCode}): {e.Status.Detail}");
            return 1;
        }

        if (response.RawOutputContents.Count != 2 || response.RawOutputContents[0].Length != batch * MnistShape.ClassCount * sizeof(float)
            || response.RawOutputContents[1].Length != batch * sizeof(long))
        {
            Console.WriteLine($"grpc-status 0 (OK), but the raw outputs are not [{batch},10] FP32 and [{batch}] INT64: {response}");
            return 1;
        }

        var digits = response.RawOutputContents[1].Memory;
        var right = Enumerable.Range(0, batch).Count(i => BinaryPrimitives.ReadInt64LittleEndian(digits.Span[(i * sizeof(long))..]) == test.Labels[i]);
        Console.WriteLine($"grpc-status 0 (OK): {right} of {batch} digits match their labels, model {response.ModelVersion[..12]}");
        return right >= 0.9 * batch ? 0 : 1;
    }

    private static ModelInferRequest Request(MnistDataset test, int batch)
    {
        var raw = new byte[batch * MnistShape.PixelCount * sizeof(float)];
        var pixels = test.Images.AsSpan(0, batch * MnistShape.PixelCount);
        for (var i = 0; i < pixels.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), pixels[i] / 255f);
        }

        var request = new ModelInferRequest { ModelName = "mnist" };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "input", Datatype = "FP32" };
        input.Shape.Add([batch, 1, MnistShape.ImageSide, MnistShape.ImageSide]);
        request.Inputs.Add(input);
        request.RawInputContents.Add(UnsafeByteOperations.UnsafeWrap(raw));
        return request;
    }
}
