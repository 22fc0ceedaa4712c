using Grpc.Core;
using Mnist.Inference.Grpc.Batching;
using Mnist.Inference.Grpc.Draining;
using Mnist.Inference.Grpc.ModelReload;
using Mnist.Inference.Grpc.Observability;
using Mnist.Inference.Grpc.TestSet;
using Mnist.Model.Imaging;
using Mnist.Model.Network;
using Mnist.V1;

namespace Mnist.Inference.Grpc.Services;

/// <summary>
/// mnist.v1.Mnist: the one implementation behind gRPC, REST (transcoded and the original services' routes) and the web page.
/// Turns every bad input into a precise status; never lets an exception's text reach a client.
/// </summary>
public sealed class MnistService(ModelStore models, DigitImageReader images, TestSampleSet testSet, ServerDrain drain, PredictionBatcher batcher, InferenceMetrics metrics) : V1.Mnist.MnistBase
{
    public override Task<Prediction> Predict(PredictRequest request, ServerCallContext context) =>
        PredictAsync(request, context.CancellationToken);

    public override Task<TestSamplePrediction> PredictTestSample(PredictTestSampleRequest request, ServerCallContext context) =>
        PredictTestSampleAsync(request, context.CancellationToken);

    public override Task<HealthResponse> Health(HealthRequest request, ServerCallContext context) => Task.FromResult(CurrentHealth());

    /// <summary>
    /// The loaded model's card. NOT_FOUND (not FAILED_PRECONDITION) when it has none: the model is there, its card is
    /// the resource that is missing, and no action of the caller's will bring it; a new training run will.
    /// </summary>
    public override Task<ModelInfo> GetModel(GetModelRequest request, ServerCallContext context)
    {
        var model = RequireModel();
        return model.Card is { } card
            ? Task.FromResult(card.Info)
            : throw Status(StatusCode.NotFound, $"model {model.Version} has no model card: {model.CardProblem}");
    }

    /// <summary>Predict without a gRPC call around it (the original services' routes).</summary>
    public Task<Prediction> PredictAsync(PredictRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Span<byte> pixels = stackalloc byte[MnistNet.PixelCount];
        switch (request.InputCase)
        {
            case PredictRequest.InputOneofCase.Pixels:
                if (request.Pixels.Length != MnistNet.PixelCount)
                {
                    throw Status(StatusCode.InvalidArgument,
                        $"pixels has {request.Pixels.Length} bytes; it must be exactly {MnistNet.PixelCount} (28x28 grey, row-major, white digit on black)");
                }

                request.Pixels.Span.CopyTo(pixels);
                break;
            case PredictRequest.InputOneofCase.Image:
                ReadImage(request.Image.Memory, pixels, cancellationToken);
                break;
            default:
                throw Status(StatusCode.InvalidArgument, "the request has no input: set 'image' (a PNG or JPEG file) or 'pixels' (784 bytes)");
        }

        RequireModel();
        return ClassifyAsync(batcher.PredictAsync(pixels, cancellationToken), cancellationToken);
    }

    /// <summary>PredictTestSample without a gRPC call around it (the original services' routes).</summary>
    public async Task<TestSamplePrediction> PredictTestSampleAsync(PredictTestSampleRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!testSet.IsAvailable)
        {
            throw Status(StatusCode.Unavailable, $"the MNIST test set is not available: {testSet.UnavailableReason}");
        }

        if ((uint)request.Id >= (uint)testSet.Count)
        {
            throw Status(StatusCode.InvalidArgument, $"id {request.Id} is out of range; test sample ids are 0..{testSet.Count - 1}");
        }

        RequireModel();
        var label = testSet.Label(request.Id);
        var prediction = await ClassifyAsync(batcher.PredictAsync(testSet.Pixels(request.Id), cancellationToken), cancellationToken);
        return new TestSamplePrediction
        {
            Id = request.Id,
            Label = label,
            Prediction = prediction,
            Correct = prediction.Digit == label,
        };
    }

    /// <summary>SERVING while a model is loaded and the server is not draining.</summary>
    public HealthResponse CurrentHealth() => (models.Current, drain.IsDraining) switch
    {
        (_, true) => new HealthResponse { Status = HealthResponse.Types.Status.NotServing, Message = "the server is shutting down" },
        ({ } model, false) => new HealthResponse { Status = HealthResponse.Types.Status.Serving, ModelVersion = model.Version, Message = "serving" },
        (null, false) => new HealthResponse { Status = HealthResponse.Types.Status.NotServing, Message = models.UnavailableReason ?? "no model loaded" },
    };

    /// <summary>The loaded model, or UNAVAILABLE (the plots route uses it too).</summary>
    public LoadedModel RequireModel() =>
        models.Current ?? throw Status(StatusCode.Unavailable,
            $"no model is loaded ({models.UnavailableReason ?? "not ready"}); retry once the trainer has written model.dat");

    private void ReadImage(ReadOnlyMemory<byte> encoded, Span<byte> pixels, CancellationToken cancellationToken)
    {
        using var span = MnistTelemetry.Source.StartActivity(MnistTelemetry.ImageDecodeSpan);
        try
        {
            images.ReadDigit(encoded, pixels, cancellationToken);
        }
        catch (ImageTooLargeException e)
        {
            throw Status(StatusCode.ResourceExhausted, e.Message);
        }
        catch (ImageRejectedException e)
        {
            throw Status(StatusCode.InvalidArgument, e.Message);
        }
    }

    private static RpcException Status(StatusCode code, string detail) => new(new Status(code, detail));

    private async Task<Prediction> ClassifyAsync(Task<BatchPrediction> batched, CancellationToken cancellationToken)
    {
        float[] probabilities;
        string version;
        try
        {
            (probabilities, version) = await batched;
        }
        catch (ModelUnavailableException e)
        {
            throw Status(StatusCode.Unavailable, $"{e.Message}; retry once the trainer has written model.dat");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The batcher stopped, not the caller: the server is going away.
            throw Status(StatusCode.Unavailable, "the server is shutting down");
        }

        var digit = 0;
        for (var i = 1; i < probabilities.Length; i++)
        {
            if (probabilities[i] > probabilities[digit])
            {
                digit = i;
            }
        }

        metrics.PredictionAnswered(digit, probabilities[digit]);
        var prediction = new Prediction { Digit = digit, Confidence = probabilities[digit], ModelVersion = version };
        foreach (var p in probabilities)
        {
            prediction.Probabilities.Add(p);
        }

        return prediction;
    }
}
