using Mnist.Inference.Grpc.Errors;
using Grpc.Core;

namespace Mnist.Tests.Unit.Errors;

[Category("Unit")]
public class JsonErrorTests
{
    /// <summary>gRPC status to HTTP status as Microsoft's JSON transcoding maps it (grpc-facts 4.5), every non-OK code.</summary>
    public static readonly TestCaseData[] ErrorMappings =
    [
        new TestCaseData(StatusCode.OK, 200),
        new TestCaseData(StatusCode.Cancelled, 408),
        new TestCaseData(StatusCode.Unknown, 500),
        new TestCaseData(StatusCode.InvalidArgument, 400),
        new TestCaseData(StatusCode.DeadlineExceeded, 504),
        new TestCaseData(StatusCode.NotFound, 404),
        new TestCaseData(StatusCode.AlreadyExists, 409),
        new TestCaseData(StatusCode.PermissionDenied, 403),
        new TestCaseData(StatusCode.ResourceExhausted, 429),
        new TestCaseData(StatusCode.FailedPrecondition, 400),
        new TestCaseData(StatusCode.Aborted, 409),
        new TestCaseData(StatusCode.OutOfRange, 400),
        new TestCaseData(StatusCode.Unimplemented, 501),
        new TestCaseData(StatusCode.Internal, 500),
        new TestCaseData(StatusCode.Unavailable, 503),
        new TestCaseData(StatusCode.DataLoss, 500),
        new TestCaseData(StatusCode.Unauthenticated, 401),
    ];

    [TestCaseSource(nameof(ErrorMappings))]
    [TestCase(StatusCode.OK, 200)]
    [TestCase((StatusCode)42, 500)]
    public void HttpStatusOf_EachCode_MapsAsMicrosoftTranscoding(StatusCode code, int http) =>
        Assert.That(JsonError.HttpStatusOf(code), Is.EqualTo(http));
}
