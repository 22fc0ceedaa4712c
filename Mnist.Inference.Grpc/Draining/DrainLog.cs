namespace Mnist.Inference.Grpc.Draining;

internal static partial class DrainLog
{
    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Draining: health NOT_SERVING, new calls refused, waiting up to {Seconds} s for calls in flight.")]
    public static partial void Draining(ILogger logger, double seconds);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Drained: no call in flight.")]
    public static partial void Drained(ILogger logger);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "Calls still in flight after DRAIN_SECONDS ({Seconds} s); stopping anyway.")]
    public static partial void DrainTimedOut(ILogger logger, double seconds);
}
