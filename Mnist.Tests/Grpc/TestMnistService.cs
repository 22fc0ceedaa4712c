using Google.Protobuf;
using Mnist.Grpc.Server;
using Mnist.Grpc.V1;
using Mnist.Grpc.Wire;

namespace Mnist.Tests.Grpc;

/// <summary>
/// Handlers bound to the real mnist.v1 descriptor that exercise the wire layer, not the model:
/// Predict echoes the pixel count; PredictTestSample sleeps <c>id</c> ms (or misbehaves for negative ids).
/// Health is left unbound, so it answers UNIMPLEMENTED.
/// </summary>
internal sealed class TestMnistService
{
    public const string BadInputMessage = "100% wrong — ünïcode 🙂";

    public TaskCompletionSource<bool> HandlerCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a handler starts, with what it saw (copied: the request is recycled after the call).</summary>
    public TaskCompletionSource<CallSnapshot> LastContext { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public GrpcServiceDefinition CreateDefinition() =>
        GrpcServiceDefinition.For(MnistReflection.Descriptor.Services[0])
            .Unary<PredictRequest, Prediction>("Predict", PredictAsync)
            .Unary<PredictTestSampleRequest, TestSamplePrediction>("PredictTestSample", PredictTestSampleAsync);

    private Task<Prediction> PredictAsync(PredictRequest request, GrpcCallContext context)
    {
        LastContext.TrySetResult(CallSnapshot.Of(context));
        var input = request.InputCase == PredictRequest.InputOneofCase.Image ? request.Image : request.Pixels;
        if (input.IsEmpty)
        {
            throw new GrpcStatusException(StatusCode.InvalidArgument, BadInputMessage);
        }

        context.ResponseTrailers["x-pixel-count"] = input.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.ResponseTrailers["x-request-encoding"] = context.RequestHeaders["grpc-encoding"].ToString();
        var prediction = new Prediction { Digit = input.Length % 10, Confidence = 0.5f, ModelVersion = $"len={input.Length}" };
        prediction.Probabilities.Add(new float[10]);
        return Task.FromResult(prediction);
    }

    private async Task<TestSamplePrediction> PredictTestSampleAsync(PredictTestSampleRequest request, GrpcCallContext context)
    {
        LastContext.TrySetResult(CallSnapshot.Of(context));
        if (request.Id == -1)
        {
            throw new InvalidOperationException("secret internal detail");
        }

        try
        {
            await Task.Delay(request.Id, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            HandlerCancelled.TrySetResult(true);
            throw;
        }

        return new TestSamplePrediction { Id = request.Id, Label = 7, Correct = true };
    }

    public static PredictRequest Pixels(int count) => new() { Pixels = ByteString.CopyFrom(new byte[count]) };
}

internal sealed record CallSnapshot(string Method, string Peer, DateTimeOffset? Deadline, string User, string UserAgent)
{
    public static CallSnapshot Of(GrpcCallContext context) => new(
        context.Method, context.Peer, context.Deadline, context.RequestHeaders["x-user"].ToString(), context.RequestHeaders.UserAgent.ToString());
}
