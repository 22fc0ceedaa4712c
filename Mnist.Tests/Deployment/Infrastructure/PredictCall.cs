using Grpc.Core;

namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>One Predict call of a <see cref="PredictLoad"/>.</summary>
internal sealed record PredictCall(DateTimeOffset Started, DateTimeOffset Ended, StatusCode Status, string ModelVersion, string Error)
{
    public override string ToString() => $"{Started:HH:mm:ss.fff}-{Ended:HH:mm:ss.fff} {Status} {ModelVersion} {Error.Split('\n')[0]}";
}
