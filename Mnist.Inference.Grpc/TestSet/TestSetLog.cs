namespace Mnist.Inference.Grpc.TestSet;

internal static partial class TestSetLog
{
    [LoggerMessage(10, LogLevel.Information, "Loaded {Count} MNIST test samples from {Directory}")]
    public static partial void Loaded(ILogger logger, int count, string directory);

    [LoggerMessage(11, LogLevel.Error, "The MNIST test set in {Directory} is unavailable: {Reason}; PredictTestSample will answer UNAVAILABLE")]
    public static partial void Unavailable(ILogger logger, string directory, string reason);
}
