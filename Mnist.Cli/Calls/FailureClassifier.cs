using Grpc.Core;

namespace Mnist.Cli.Calls;

/// <summary>Turns a gRPC status into the exit code and message a person reads (see <see cref="ExitCodes"/>).</summary>
internal static class FailureClassifier
{
    private const string PushbackKey = "grpc-retry-pushback-ms";

    /// <param name="subject">The file or test id the call was about, e.g. <c>digit.png</c>.</param>
    /// <param name="aboutFile">True when the request carried a file: the server's refusal is then the file's fault (exit 4).</param>
    public static Failure Classify(RpcException error, string subject, bool aboutFile, CallSettings settings) => error.StatusCode switch
    {
        StatusCode.Unavailable when TransportFailure.Reason(error) is { } reason =>
            new Failure(ExitCodes.ServerUnavailable, $"cannot reach the server at {settings.Server}: {reason}", error, StopsEverything: true),
        // Grpc.Net.Client reports a failed TLS handshake as INTERNAL "Error starting gRPC call".
        StatusCode.Internal when TransportFailure.Reason(error) is { } reason =>
            new Failure(ExitCodes.ServerUnavailable, $"cannot reach the server at {settings.Server}: {reason}", error, StopsEverything: true),
        StatusCode.Unavailable =>
            new Failure(ExitCodes.ServerUnavailable, $"the server at {settings.Server} is not serving: {error.Status.Detail}", error, StopsEverything: true),
        StatusCode.DeadlineExceeded =>
            new Failure(ExitCodes.CallFailed, $"{subject}: no answer from {settings.Server} within {settings.Timeout} (see --timeout)", error),
        StatusCode.Unauthenticated =>
            new Failure(ExitCodes.CallFailed, $"the server at {settings.Server} refused the call: {error.Status.Detail} (see --api-key or {CommonOptions.ApiKeyVariable})", error, StopsEverything: true),
        StatusCode.ResourceExhausted when error.Trailers.GetValue(PushbackKey) is { } pushback =>
            new Failure(ExitCodes.CallFailed, $"{subject}: the server at {settings.Server} limits this caller's rate; it asks to retry in {pushback} ms", error),
        StatusCode.Cancelled =>
            new Failure(ExitCodes.Interrupted, "interrupted", error, StopsEverything: true),
        StatusCode.InvalidArgument or StatusCode.ResourceExhausted when aboutFile =>
            new Failure(ExitCodes.BadInput, $"{subject}: {error.Status.Detail}", error),
        _ => new Failure(ExitCodes.CallFailed, $"{subject}: {ToProtoName(error.StatusCode)}: {error.Status.Detail}", error),
    };

    /// <summary>Health calls: a server that does not answer in time is as good as unreachable.</summary>
    public static Failure ClassifyHealth(RpcException error, CallSettings settings) => error.StatusCode switch
    {
        StatusCode.DeadlineExceeded =>
            new Failure(ExitCodes.ServerUnavailable, $"the server at {settings.Server} did not answer within {settings.Timeout}", error),
        _ => Classify(error, $"health of {settings.Server}", aboutFile: false, settings),
    };

    /// <summary>INVALID_ARGUMENT, as gRPC documentation and other tools spell status codes.</summary>
    public static string ToProtoName(StatusCode code) => code switch
    {
        StatusCode.OK => "OK",
        _ => string.Concat(code.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + c : char.ToUpperInvariant(c).ToString())),
    };
}
