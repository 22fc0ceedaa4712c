using Grpc.Core;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;

namespace Mnist.Inference.Grpc.Rest;

/// <summary>
/// 413 with the JSON error body for a transcoded request that declares a body over <see cref="RestOptions.MaxJsonBodySize"/>,
/// before any of it is read (transcoding alone would read it and answer 400).
/// </summary>
internal static class JsonBodyLimit
{
    public static IApplicationBuilder UseJsonBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.ContentLength > RestOptions.MaxJsonBodySize
            && context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is not null)
        {
            var refused = RequestRejectedException.TooLarge(RestOptions.MaxJsonBodySize);
            await JsonError.WriteAsync(context, StatusCode.ResourceExhausted, refused.Message, refused.HttpStatus);
            return;
        }

        await next(context);
    });
}
