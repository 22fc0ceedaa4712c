namespace Mnist.Grpc.Client;

/// <summary>Per-call settings: a timeout or deadline (sent as <c>grpc-timeout</c>), cancellation and metadata.</summary>
public sealed record GrpcCallOptions
{
    /// <summary>No deadline, no cancellation, no metadata.</summary>
    public static GrpcCallOptions Default { get; } = new();

    /// <summary>How long the call may take; ignored when <see cref="Deadline"/> is set.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>When the call must be done by.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>Cancels the call (reported as CANCELLED).</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Custom metadata sent as request headers (lowercase names; <c>-bin</c> values base64).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}
