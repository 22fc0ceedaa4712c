namespace Mnist.Inference.Grpc.Batching;

internal static partial class BatchingLog
{
    [LoggerMessage(20, LogLevel.Information, "Batching predictions: at most {MaxSize} images per forward, waiting at most {MaxWaitMicroseconds} us for more; at most {Workers} forward(s) at once, each on {Threads} libtorch thread(s)")]
    public static partial void Started(ILogger logger, int maxSize, int maxWaitMicroseconds, int workers, int threads);

    [LoggerMessage(21, LogLevel.Error, "A batch of {Count} predictions failed")]
    public static partial void BatchFailed(ILogger logger, int count, Exception exception);
}
