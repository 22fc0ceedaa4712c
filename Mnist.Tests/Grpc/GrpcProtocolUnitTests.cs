using Mnist.Grpc.Client;
using Mnist.Grpc.Wire;

namespace Mnist.Tests.Grpc;

public class GrpcProtocolUnitTests
{
    [TestCase("1H", 36_000_000_000L)]
    [TestCase("2M", 1_200_000_000L)]
    [TestCase("3S", 30_000_000L)]
    [TestCase("250m", 2_500_000L)]
    [TestCase("999999u", 9_999_990L)]
    [TestCase("1500n", 15L)]
    [TestCase("1n", 1L)]
    [TestCase("99999999H", 99_999_999L * 36_000_000_000L)]
    [TestCase("00000005S", 50_000_000L)]
    public void TryParse_EveryUnit_ParsesToTicks(string header, long ticks)
    {
        Assert.That(GrpcTimeout.TryParse(header, out var timeout), Is.True);
        Assert.That(timeout.Ticks, Is.EqualTo(ticks));
    }

    [TestCase("")]
    [TestCase("S")]
    [TestCase("10")]
    [TestCase("123456789S")]
    [TestCase("1.5S")]
    [TestCase("-1S")]
    [TestCase("10s")]
    [TestCase(" 10S")]
    public void TryParse_Malformed_False(string header) =>
        Assert.That(GrpcTimeout.TryParse(header, out _), Is.False);

    [TestCase(1500, "1500m")]
    [TestCase(0, "1n")]
    [TestCase(-3, "1n")]
    [TestCase(200_000_000, "200000S")]
    public void Format_Milliseconds_ShortestFittingUnit(long milliseconds, string expected) =>
        Assert.That(GrpcTimeout.Format(TimeSpan.FromMilliseconds(milliseconds)), Is.EqualTo(expected));

    [TestCase("plain text", "plain text")]
    [TestCase("100%", "100%25")]
    [TestCase("tab\there", "tab%09here")]
    [TestCase("ü", "%C3%BC")]
    [TestCase("🙂", "%F0%9F%99%82")]
    [TestCase("~ok", "~ok")]
    public void Encode_Message_PercentEncodesOutsidePrintableAscii(string message, string expected) =>
        Assert.That(GrpcMessageEncoding.Encode(message), Is.EqualTo(expected));

    [TestCase("100%25", "100%")]
    [TestCase("%C3%bc", "ü")]
    [TestCase("bad %zz escape", "bad %zz escape")]
    [TestCase("trailing %4", "trailing %4")]
    [TestCase("%", "%")]
    public void Decode_Message_NeverFails(string encoded, string expected) =>
        Assert.That(GrpcMessageEncoding.Decode(encoded), Is.EqualTo(expected));

    [TestCase(400, StatusCode.Internal)]
    [TestCase(401, StatusCode.Unauthenticated)]
    [TestCase(403, StatusCode.PermissionDenied)]
    [TestCase(404, StatusCode.Unimplemented)]
    [TestCase(429, StatusCode.Unavailable)]
    [TestCase(502, StatusCode.Unavailable)]
    [TestCase(503, StatusCode.Unavailable)]
    [TestCase(504, StatusCode.Unavailable)]
    [TestCase(431, StatusCode.Internal)]
    [TestCase(500, StatusCode.Unknown)]
    public void FromHttpStatus_Mapping_PerGrpcTable(int httpStatus, StatusCode expected) =>
        Assert.That(ResponseStatus.FromHttpStatus(httpStatus), Is.EqualTo(expected));

    [TestCase("application/grpc", true)]
    [TestCase("application/grpc+proto", true)]
    [TestCase("Application/GRPC; charset=utf-8", true)]
    [TestCase("application/grpcx", false)]
    [TestCase("application/json", false)]
    [TestCase(null, false)]
    public void IsGrpcContentType_Value_MatchesGrpcDotnetRule(string? contentType, bool expected) =>
        Assert.That(Mnist.Grpc.Server.CallHandlers.ServerCallHandler.IsGrpcContentType(contentType), Is.EqualTo(expected));
}
