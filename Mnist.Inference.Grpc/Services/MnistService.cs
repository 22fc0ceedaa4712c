using Grpc.Core;
using Mnist.Inference.Grpc.Classification;
using Mnist.Inference.Grpc.Draining;
using Mnist.Inference.Grpc.Errors;
using Mnist.Inference.Grpc.ModelReload;
using Mnist.Inference.Grpc.TestSet;
using Mnist.V1;

namespace Mnist.Inference.Grpc.Services;

/// <summary>
/// mnist.v1.Mnist: the one implementation behind gRPC, REST (transcoded and the original services' routes) and the web page.
/// A thin adapter from the contract's messages to <see cref="DigitClassifier"/>.
/// </summary>
public sealed class MnistService(DigitClassifier classifier, ModelStore models, TestSampleSet testSet, ServerDrain drain) : V1.Mnist.MnistBase
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
        var model = classifier.RequireModel();
        return model.Card is { } card ? Task.FromResult(card.Info) : throw Statuses.NoModelCard(model.Version);
    }

    /// <summary>Predict without a gRPC call around it (the original services' routes).</summary>
    public async Task<Prediction> PredictAsync(PredictRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var answer = request.InputCase switch
        {
            PredictRequest.InputOneofCase.Pixels => await classifier.ClassifyPixelsAsync(request.Pixels.Span, cancellationToken),
            PredictRequest.InputOneofCase.Image => await classifier.ClassifyImageAsync(request.Image.Memory, cancellationToken),
            _ => throw Statuses.NoInput(),
        };
        return ToPrediction(answer);
    }

    /// <summary>PredictTestSample without a gRPC call around it (the original services' routes).</summary>
    public async Task<TestSamplePrediction> PredictTestSampleAsync(PredictTestSampleRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pixels = testSet.Sample(request.Id);
        var label = testSet.Label(request.Id);
        var prediction = ToPrediction(await classifier.ClassifyPixelsAsync(pixels.Span, cancellationToken));
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
        (_, true) => new HealthResponse { Status = HealthResponse.Types.Status.NotServing, Message = Statuses.ShuttingDownMessage },
        ({ } model, false) => new HealthResponse { Status = HealthResponse.Types.Status.Serving, ModelVersion = model.Version, Message = "serving" },
        (null, false) => new HealthResponse { Status = HealthResponse.Types.Status.NotServing, Message = models.UnavailableReason ?? "no model loaded" },
    };

    private static Prediction ToPrediction(DigitPrediction answer)
    {
        var prediction = new Prediction { Digit = answer.Digit, Confidence = answer.Confidence, ModelVersion = answer.ModelVersion };
        prediction.Probabilities.Add(answer.Probabilities);
        return prediction;
    }
}
