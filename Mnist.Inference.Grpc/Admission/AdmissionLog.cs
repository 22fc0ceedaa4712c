namespace Mnist.Inference.Grpc.Admission;

internal static partial class AdmissionLog
{
    [LoggerMessage(901, LogLevel.Information, "Admission: at most {Calls} calls holding {RequestBytes} request bytes at once, {Connections} connections of {Streams} streams each; "
        + "{DecodeSlots} decodes at once (a call waits {DecodeWaitMilliseconds} ms for one), {QueuedImages} images queued for a forward pass")]
    public static partial void Limits(ILogger logger, int calls, long requestBytes, int connections, int streams, int decodeSlots, int decodeWaitMilliseconds, int queuedImages);
}
