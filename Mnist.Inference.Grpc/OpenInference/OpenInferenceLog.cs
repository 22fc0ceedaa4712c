using Grpc.Core;

namespace Mnist.Inference.Grpc.OpenInference;

internal static partial class OpenInferenceLog
{
    [LoggerMessage(EventId = 801, Level = LogLevel.Debug, Message = "{Route} failed with {Code}: {Detail}")]
    public static partial void CallFailed(ILogger logger, string route, StatusCode code, string detail);

    [LoggerMessage(EventId = 802, Level = LogLevel.Error, Message = "{Route} failed unexpectedly.")]
    public static partial void HandlerFailed(ILogger logger, string route, Exception exception);
}
