using Mnist.Grpc.V1;
using Mnist.Grpc.Server;
using Mnist.Grpc.Wire;
using Mnist.Inference.Grpc.Batching;
using Mnist.Inference.Grpc.Models;
using Mnist.Inference.Grpc.TestSet;
using Mnist.Model.Imaging;
using Mnist.Model.Network;

namespace Mnist.Inference.Grpc.Services;

/// <summary>
/// mnist.v1.Mnist: the one implementation behind gRPC, REST and the web page. Turns every bad input into a
/// precise status; never lets an exception's text reach a client.
/// </summary>
public sealed class MnistService(ModelStore models, DigitImageReader images, TestSampleSet testSet, PredictionBatcher batcher)
{
    /// <summary>Binds the handlers to mnist.v1.Mnist's descriptor; gRPC and REST transcoding both serve this definition.</summary>
    public GrpcServiceDefinition CreateDefinition() =>
        GrpcServiceDefinition.For(MnistReflection.Descriptor.Services.Single(s => s.Name == "Mnist"))
            .Unary<PredictRequest, Prediction>("Predict", PredictAsync)
            .Unary<PredictTestSampleRequest, TestSamplePrediction>("PredictTestSample", PredictTestSampleAsync)
            .Unary<HealthRequest, HealthResponse>("Health", HealthAsync);

    public Task<Prediction> PredictAsync(PredictRequest request, GrpcCallContext context)
    {
        Span<byte> pixels = stackalloc byte[MnistNet.PixelCount];
        switch (request.InputCase)
        {
            case PredictRequest.InputOneofCase.Pixels:
                if (request.Pixels.Length != MnistNet.PixelCount)
                {
                    throw new GrpcStatusException(StatusCode.InvalidArgument,
                        $"pixels has {request.Pixels.Length} bytes; it must be exactly {MnistNet.PixelCount} (28x28 grey, row-major, white digit on black)");
                }

                request.Pixels.Span.CopyTo(pixels);
                break;
            case PredictRequest.InputOneofCase.Image:
                ReadImage(request.Image.Span, pixels);
                break;
            default:
                throw new GrpcStatusException(StatusCode.InvalidArgument,
                    "the request has no input: set 'image' (a PNG or JPEG file) or 'pixels' (784 bytes)");
        }

        RequireModel();
        return ClassifyAsync(batcher.PredictAsync(pixels, context.CancellationToken));
    }

    public async Task<TestSamplePrediction> PredictTestSampleAsync(PredictTestSampleRequest request, GrpcCallContext context)
    {
        if (!testSet.IsAvailable)
        {
            throw new GrpcStatusException(StatusCode.Unavailable, $"the MNIST test set is not available: {testSet.UnavailableReason}");
        }

        if ((uint)request.Id >= (uint)testSet.Count)
        {
            throw new GrpcStatusException(StatusCode.InvalidArgument,
                $"id {request.Id} is out of range; test sample ids are 0..{testSet.Count - 1}");
        }

        RequireModel();
        var label = testSet.Label(request.Id);
        var prediction = await ClassifyAsync(batcher.PredictAsync(testSet.Pixels(request.Id), context.CancellationToken));
        return new TestSamplePrediction
        {
            Id = request.Id,
            Label = label,
            Prediction = prediction,
            Correct = prediction.Digit == label,
        };
    }

    public Task<HealthResponse> HealthAsync(HealthRequest request, GrpcCallContext context) =>
        Task.FromResult(models.Current is { } model
            ? new HealthResponse { Status = HealthResponse.Types.Status.Serving, ModelVersion = model.Version, Message = "serving" }
            : new HealthResponse { Status = HealthResponse.Types.Status.NotServing, Message = models.UnavailableReason ?? "no model loaded" });

    private LoadedModel RequireModel() =>
        models.Current ?? throw new GrpcStatusException(StatusCode.Unavailable,
            $"no model is loaded ({models.UnavailableReason ?? "not ready"}); retry once the trainer has written model.dat");

    private void ReadImage(ReadOnlySpan<byte> encoded, Span<byte> pixels)
    {
        try
        {
            images.ReadDigit(encoded, pixels);
        }
        catch (ImageTooLargeException e)
        {
            throw new GrpcStatusException(StatusCode.ResourceExhausted, e.Message);
        }
        catch (ImageRejectedException e)
        {
            throw new GrpcStatusException(StatusCode.InvalidArgument, e.Message);
        }
    }

    private static async Task<Prediction> ClassifyAsync(Task<BatchPrediction> batched)
    {
        var (probabilities, version) = await batched;
        var digit = 0;
        for (var i = 1; i < probabilities.Length; i++)
        {
            if (probabilities[i] > probabilities[digit])
            {
                digit = i;
            }
        }

        var prediction = new Prediction { Digit = digit, Confidence = probabilities[digit], ModelVersion = version };
        foreach (var p in probabilities)
        {
            prediction.Probabilities.Add(p);
        }

        return prediction;
    }
}
