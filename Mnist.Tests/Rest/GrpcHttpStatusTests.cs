using Mnist.Grpc.Transcoding;
using Mnist.Grpc.Wire;

namespace Mnist.Tests.Rest;

public class GrpcHttpStatusTests
{
    [TestCase(StatusCode.OK, 200)]
    [TestCase(StatusCode.Cancelled, 408)]
    [TestCase(StatusCode.Unknown, 500)]
    [TestCase(StatusCode.InvalidArgument, 400)]
    [TestCase(StatusCode.DeadlineExceeded, 504)]
    [TestCase(StatusCode.NotFound, 404)]
    [TestCase(StatusCode.AlreadyExists, 409)]
    [TestCase(StatusCode.PermissionDenied, 403)]
    [TestCase(StatusCode.ResourceExhausted, 429)]
    [TestCase(StatusCode.FailedPrecondition, 400)]
    [TestCase(StatusCode.Aborted, 409)]
    [TestCase(StatusCode.OutOfRange, 400)]
    [TestCase(StatusCode.Unimplemented, 501)]
    [TestCase(StatusCode.Internal, 500)]
    [TestCase(StatusCode.Unavailable, 503)]
    [TestCase(StatusCode.DataLoss, 500)]
    [TestCase(StatusCode.Unauthenticated, 401)]
    [TestCase((StatusCode)42, 500)]
    public void FromStatusCode_EachCode_MapsAsMicrosoftTranscoding(StatusCode code, int http) =>
        Assert.That(GrpcHttpStatus.FromStatusCode(code), Is.EqualTo(http));
}
