using Grpc.Core;
using Mnist.Inference.Grpc.Rejections;
using Mnist.Model;

namespace Mnist.Inference.Grpc.Errors;

/// <summary>
/// Every refusal a client can see, each message written once. gRPC answers with these; REST answers with the same
/// status and detail in its JSON body (<c>Rest/JsonError</c> maps the code to HTTP). Details name the limit or the
/// expected form, never a file path or a library's message.
/// </summary>
public static class Statuses
{
    /// <summary>The one spelling of a drain's refusal, in gRPC, REST and health.</summary>
    public const string ShuttingDownMessage = "the server is shutting down; retry on another instance";

    private const string RetryAfterTraining = "retry once the trainer has written model.dat";

    public static RpcException ShuttingDown() => Unavailable(ShuttingDownMessage);

    public static RpcException InvalidArgument(string detail) => new(new Status(StatusCode.InvalidArgument, detail));

    public static RpcException ResourceExhausted(string detail) => new(new Status(StatusCode.ResourceExhausted, detail));

    public static RpcException NotFound(string detail) => new(new Status(StatusCode.NotFound, detail));

    public static RpcException Unavailable(string detail) => new(new Status(StatusCode.Unavailable, detail));

    public static RpcException NoModel(string? reason) =>
        Unavailable($"no model is loaded ({reason ?? "not ready"}); {RetryAfterTraining}");

    public static RpcException NoInput() =>
        InvalidArgument("the request has no input: set 'image' (a PNG or JPEG file) or 'pixels' (784 bytes)");

    public static RpcException WrongPixelCount(int length) =>
        InvalidArgument($"pixels has {length} bytes; it must be exactly {MnistShape.PixelCount} (28x28 grey, row-major, white digit on black)");

    public static RpcException TestSetUnavailable(string? reason) =>
        Unavailable($"the MNIST test set is not available: {reason ?? "not loaded"}");

    public static RpcException TestSampleOutOfRange(int id, int count) =>
        InvalidArgument($"id {id} is out of range; test sample ids are 0..{count - 1}");

    public static RpcException TestSampleNotANumber(string? text) =>
        InvalidArgument($"test sample id '{text}' is not a number; ids are integers from 0 to 9999");

    public static RpcException NoModelCard(string version) => NotFound($"model {version} has no model card");

    public static RpcException NoPlot(string name, IEnumerable<string> plots) =>
        NotFound($"the model card has no plot '{name}'; its plots are {string.Join(", ", plots)}");

    public static RpcException UnknownModel(string name, string served) =>
        NotFound($"unknown model '{name}'; this server serves '{served}'");

    public static RpcException UnknownModelVersion(string name, string version, string served) =>
        NotFound($"model '{name}' has no version '{version}'; the served version is '{served}' (or leave the version empty)");

    /// <summary>
    /// The wait suggested to a client refused for overload. Long beside a call (milliseconds), so that refused clients
    /// cost the server little while the admitted ones keep it busy: with 100 ms, ten times the saturating load spent
    /// a fifth of the goodput on refusals (docs/performance.md, "Overload"). REST's Retry-After counts whole seconds anyway.
    /// </summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    public static string TooManyCallsMessage(int limit) =>
        $"the server is at its limit of {limit} calls at once (MAX_CONCURRENT_CALLS); retry after the pushback";

    public static string TooManyRequestBytesMessage(long limit) =>
        $"the server is at its limit of {limit} request bytes held at once (MAX_ADMITTED_REQUEST_BYTES); retry after the pushback";

    public static RpcException TooManyRequestBytes(long limit) => RetryLater(TooManyRequestBytesMessage(limit));

    public static RpcException NoDecodeSlot(int slots, TimeSpan waited) => RetryLater(
        $"the server is decoding {slots} images at once (DECODE_SLOTS), its limit, and none finished within {waited.TotalMilliseconds:F0} ms; retry after the pushback");

    public static RpcException QueueFull(int limit) =>
        RetryLater($"the server has {limit} images waiting for the model (MAX_QUEUED_IMAGES), its limit; retry after the pushback");

    public static RpcException BatchLargerThanQueue(int images, int limit) =>
        InvalidArgument($"a request of {images} images can never be queued: the server queues at most {limit} images (MAX_QUEUED_IMAGES); send at most {limit} in one request");

    // RESOURCE_EXHAUSTED with gRPC's retry pushback (A6) in the trailers; transcoded REST turns it into 429.
    private static RpcException RetryLater(string detail) =>
        new(new Status(StatusCode.ResourceExhausted, detail), new Metadata { { CallRejection.RetryPushbackHeader, CallRejection.PushbackMilliseconds(RetryAfter) } });
}
