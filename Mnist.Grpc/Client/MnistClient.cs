using Mnist.Grpc.V1;

namespace Mnist.Grpc.Client;

/// <summary>Typed calls to mnist.v1.Mnist. Failures throw <see cref="Wire.GrpcStatusException"/>.</summary>
public sealed class MnistClient
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Service = MnistReflection.Descriptor.Services[0];
    private static readonly GrpcMethod<PredictRequest, Prediction> Predict = new(Service, "Predict");
    private static readonly GrpcMethod<PredictTestSampleRequest, TestSamplePrediction> PredictTestSample = new(Service, "PredictTestSample");
    private static readonly GrpcMethod<HealthRequest, HealthResponse> Health = new(Service, "Health");

    private readonly GrpcClient _client;

    /// <summary>Wraps a connected <see cref="GrpcClient"/>.</summary>
    public MnistClient(GrpcClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <summary>Classifies one image (encoded PNG/JPEG in <c>image</c>, or 784 raw pixels in <c>pixels</c>).</summary>
    public Task<Prediction> PredictAsync(PredictRequest request, GrpcCallOptions? options = null) =>
        _client.UnaryAsync(Predict, request, options);

    /// <summary>Classifies MNIST test image <paramref name="id"/> (0..9999) and compares it with its label.</summary>
    public Task<TestSamplePrediction> PredictTestSampleAsync(int id, GrpcCallOptions? options = null) =>
        _client.UnaryAsync(PredictTestSample, new PredictTestSampleRequest { Id = id }, options);

    /// <summary>Whether a model is loaded and which one.</summary>
    public Task<HealthResponse> HealthAsync(GrpcCallOptions? options = null) =>
        _client.UnaryAsync(Health, new HealthRequest(), options);
}
