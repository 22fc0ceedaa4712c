using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;

namespace Mnist.Tests;

/// <summary>Hand-built gRPC bodies and a reader for raw responses, to see what any client sees on the wire.</summary>
internal static class RawGrpc
{
    public static byte[] Frame(ReadOnlySpan<byte> payload, byte flag = 0) => FrameWithLength(payload, (uint)payload.Length, flag);

    public static byte[] FrameWithLength(ReadOnlySpan<byte> payload, uint declaredLength, byte flag = 0)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), declaredLength);
        payload.CopyTo(frame.AsSpan(5));
        return frame;
    }

    /// <summary>Sends the request and reads the whole response: HTTP status, body bytes, and the grpc-status wherever it came.</summary>
    public static async Task<RawResponse> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(InferenceServer.Timeout);
        var body = await response.Content.ReadAsByteArrayAsync().WaitAsync(InferenceServer.Timeout);
        var trailersOnly = response.Headers.NonValidated.Contains("grpc-status");
        var source = trailersOnly ? (HttpHeaders)response.Headers : response.TrailingHeaders;
        return new RawResponse(
            response.StatusCode,
            body,
            trailersOnly,
            Get(source, "grpc-status"),
            Get(source, "grpc-message"),
            Get(response.Headers, "grpc-accept-encoding"),
            response.Content.Headers.ContentType?.MediaType);
    }

    private static string? Get(HttpHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : null;
}

internal sealed record RawResponse(
    HttpStatusCode HttpStatus, byte[] Body, bool TrailersOnly, string? GrpcStatus, string? GrpcMessage,
    string? AcceptEncoding, string? ContentType);
