using Grpc.Core;

namespace Mnist.Inference.Grpc.Rest;

internal static partial class RestLog
{
    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "CORS enabled for {Origins}.")]
    public static partial void CorsEnabled(ILogger logger, string origins);

    [LoggerMessage(EventId = 202, Level = LogLevel.Debug, Message = "Web page asset {Path} ({Bytes} bytes) loaded.")]
    public static partial void AssetLoaded(ILogger logger, string path, int bytes);

    [LoggerMessage(EventId = 203, Level = LogLevel.Debug, Message = "{Route} failed with {Code}: {Detail}")]
    public static partial void CallFailed(ILogger logger, string route, StatusCode code, string detail);

    [LoggerMessage(EventId = 204, Level = LogLevel.Error, Message = "{Route} failed unexpectedly.")]
    public static partial void HandlerFailed(ILogger logger, string route, Exception exception);
}
