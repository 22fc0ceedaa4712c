using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Transcoding;

/// <summary>Reads a JSON request body: JSON content type, UTF-8, at most the configured size.</summary>
internal static class JsonRequestBody
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The body as text, or null when the request has none (an empty message is then bound).</summary>
    public static async Task<string?> ReadAsync(HttpRequest request, long maxSize)
    {
        if (request.ContentLength > maxSize)
        {
            throw RequestRejectedException.TooLarge(maxSize);
        }

        var canHaveBody = request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true;
        if (!canHaveBody)
        {
            return null;
        }

        RequireJsonContentType(request.ContentType);
        using var buffer = new MemoryStream(capacity: (int)Math.Min(request.ContentLength ?? 16 * 1024, maxSize));
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxSize)
                {
                    throw RequestRejectedException.TooLarge(maxSize);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        if (buffer.Length == 0)
        {
            return null;
        }

        try
        {
            return StrictUtf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            throw new RequestRejectedException(StatusCodes.Status400BadRequest, StatusCode.InvalidArgument, "The request body is not valid UTF-8.");
        }
    }

    private static void RequireJsonContentType(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !(mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                 || mediaType.MediaType.Value!.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
        {
            throw new RequestRejectedException(StatusCodes.Status400BadRequest, StatusCode.InvalidArgument,
                $"Content-Type '{contentType}' is not a known JSON content type; send the body as application/json.");
        }

        if (mediaType.Charset.HasValue && !mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            throw new RequestRejectedException(StatusCodes.Status400BadRequest, StatusCode.InvalidArgument,
                $"charset '{mediaType.Charset}' is not supported; send the JSON body as UTF-8.");
        }
    }
}
