using Mnist.Grpc.Client;
using Mnist.Grpc.V1;

namespace Mnist.Cli.Calls;

/// <summary>The mnist.v1.Mnist methods the tool calls.</summary>
internal static class MnistMethods
{
    public static readonly GrpcMethod<PredictRequest, Prediction> Predict = new(MnistReflection.Descriptor.Services[0], "Predict");

    public static readonly GrpcMethod<PredictTestSampleRequest, TestSamplePrediction> PredictTestSample =
        new(MnistReflection.Descriptor.Services[0], "PredictTestSample");

    public static readonly GrpcMethod<HealthRequest, HealthResponse> Health = new(MnistReflection.Descriptor.Services[0], "Health");
}
