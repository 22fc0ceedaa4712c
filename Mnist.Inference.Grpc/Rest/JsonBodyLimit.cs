using Mnist.Inference.Grpc.Errors;
using Grpc.Core;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http.Features;

namespace Mnist.Inference.Grpc.Rest;

/// <summary>
/// 413 with the JSON error body for a transcoded request that declares a body over <see cref="RestOptions.MaxJsonBodySize"/>,
/// before any of it is read (transcoding alone would read it and answer 400).
/// </summary>
internal static class JsonBodyLimit
{
    public static IApplicationBuilder UseJsonBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is null)
        {
            await next(context);
            return;
        }

        if (context.Request.ContentLength > RestOptions.MaxJsonBodySize)
        {
            var refused = RequestRejectedException.TooLarge(RestOptions.MaxJsonBodySize);
            await JsonError.WriteAsync(context, StatusCode.ResourceExhausted, refused.Message, refused.HttpStatus);
            return;
        }

        // A chunked body has no length to check up front: Kestrel stops reading it at the limit.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = RestOptions.MaxJsonBodySize;
        }

        await next(context);
    });
}
