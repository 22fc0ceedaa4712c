namespace Mnist.Inference.Grpc.Batching;

internal static partial class BatchingLog
{
    [LoggerMessage(20, LogLevel.Information, "Batching predictions: at most {MaxSize} images per forward, waiting at most {MaxWaitMicroseconds} us for more; libtorch uses {Threads} thread(s)")]
    public static partial void Started(ILogger logger, int maxSize, int maxWaitMicroseconds, int threads);

    [LoggerMessage(21, LogLevel.Error, "A batch of {Count} predictions failed")]
    public static partial void BatchFailed(ILogger logger, int count, Exception exception);
}
