using System.Buffers.Binary;
using Google.Protobuf;
using Mnist.V1;
using Mnist.Model.Data;

namespace Mnist.Benchmarks.Server;

/// <summary>
/// Mode <c>grpc-request</c>: writes one gRPC-framed PredictRequest{pixels = MNIST test image N} (the 5-byte prefix:
/// flag 0, big-endian length; then the protobuf) for a load generator such as <c>h2load -d</c>.
/// Options: --data-dir (data/mnist), --index (0), --out (required).
/// </summary>
internal static class GrpcRequestFile
{
    public static int Run(string[] args)
    {
        var options = new BenchmarkArguments(args);
        var test = MnistDataset.LoadTest(options.Text("data-dir", "data/mnist"));
        var index = options.Integer("index", 0);
        var request = new PredictRequest { Pixels = ByteString.CopyFrom(test.Image(index)) };
        var message = request.ToByteArray();
        var framed = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
        message.CopyTo(framed, 5);
        File.WriteAllBytes(options.Text("out"), framed);
        Console.WriteLine($"test image {index} (label {test.Labels[index]}): {framed.Length} bytes framed");
        return 0;
    }
}
