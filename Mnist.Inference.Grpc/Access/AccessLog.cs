namespace Mnist.Inference.Grpc.Access;

internal static partial class AccessLog
{
    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "{Count} API key(s) in force from {Path}: {Names}")]
    public static partial void KeysLoaded(ILogger logger, int count, string path, string names);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "{Path} line {Line} is not name:key (or name:sha256:HEX, a key of 16-256 visible ASCII characters, names unique); skipped")]
    public static partial void KeysFileBadLine(ILogger logger, string path, int line);

    [LoggerMessage(EventId = 703, Level = LogLevel.Error, Message = "Cannot read the API keys file {Path} ({Reason}); the keys in force stay")]
    public static partial void KeysFileUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 704, Level = LogLevel.Debug, Message = "Call refused: {Reason}")]
    public static partial void CallRefused(ILogger logger, string reason);
}
