namespace Mnist.Inference.Grpc.ModelReload;

internal static partial class ModelLog
{
    [LoggerMessage(1, LogLevel.Information, "Serving model {Version} from {Path} (loaded in {Milliseconds} ms)")]
    public static partial void ModelLoaded(ILogger logger, string version, string path, long milliseconds);

    [LoggerMessage(2, LogLevel.Warning, "Waiting for the trainer: {Path} does not exist yet")]
    public static partial void ModelMissing(ILogger logger, string path);

    [LoggerMessage(3, LogLevel.Error, "Refused {Path}: {Reason}; {Outcome}")]
    public static partial void ModelRefused(ILogger logger, string path, string reason, string outcome);

    [LoggerMessage(4, LogLevel.Warning, "Cannot watch {Directory} for changes ({Reason}); polling every {Seconds} s")]
    public static partial void WatchUnavailable(ILogger logger, string directory, string reason, double seconds);

    [LoggerMessage(5, LogLevel.Warning, "Model {Version} has no model card: {Reason}; GetModel answers NOT_FOUND")]
    public static partial void CardMissing(ILogger logger, string version, string reason);

    [LoggerMessage(6, LogLevel.Information, "Warmed model {Version} up with {Forwards} forwards in {Milliseconds} ms")]
    public static partial void ModelWarmedUp(ILogger logger, string version, int forwards, long milliseconds);

    [LoggerMessage(7, LogLevel.Information, "Warmed the request path up with {Calls} calls in {Milliseconds} ms")]
    public static partial void RequestPathWarmedUp(ILogger logger, int calls, long milliseconds);

    [LoggerMessage(8, LogLevel.Warning, "The request path's warm-up failed ({Reason}); serving anyway, the first calls may be slower")]
    public static partial void RequestPathWarmupFailed(ILogger logger, string reason);
}
