namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>One probe attempt: when, whether it succeeded, and the status or error it saw.</summary>
internal sealed record ProbeResult(DateTimeOffset Started, bool Success, string Detail);
