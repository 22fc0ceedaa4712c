using Grpc.AspNetCore.Server;

namespace Mnist.Inference.Grpc.Draining;

/// <summary>
/// Counts every call mapped <see cref="WithDrain{TBuilder}"/> (mnist.v1, gRPC and transcoded REST, and the Open Inference
/// Protocol's ModelInfer) for the drain from the moment its request starts,
/// before its message has arrived, so a call whose body is still coming in counts as in flight. A call that starts
/// after the drain began is marked, and <see cref="DrainInterceptor"/> refuses it with UNAVAILABLE.
/// </summary>
internal static class DrainMiddleware
{
    /// <summary>The <see cref="HttpContext.Items"/> key of a call that arrived while draining.</summary>
    public static readonly object RefusedKey = new();

    /// <summary>
    /// Marks the calls the drain counts and refuses. Health and metadata calls are not marked: they answer to the
    /// end, as grpc.health.v1 does, and report NOT_SERVING.
    /// </summary>
    /// <param name="grpcMethod">Only this method of a gRPC service; null: every endpoint of the builder.</param>
    public static TBuilder WithDrain<TBuilder>(this TBuilder builder, string? grpcMethod = null)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            if (grpcMethod is null || endpoint.Metadata.OfType<GrpcMethodMetadata>().Any(m => m.Method.Name == grpcMethod))
            {
                endpoint.Metadata.Add(DrainedCall.Instance);
            }
        });
        return builder;
    }

    public static IApplicationBuilder UseServerDrain(this IApplicationBuilder app)
    {
        var drain = app.ApplicationServices.GetRequiredService<ServerDrain>();
        return app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<DrainedCall>() is null)
            {
                await next(context);
                return;
            }

            if (!drain.TryEnter())
            {
                context.Items[RefusedKey] = true;
                await next(context);
                return;
            }

            try
            {
                await next(context);
            }
            finally
            {
                drain.Exit();
            }
        });
    }

    private sealed class DrainedCall
    {
        public static readonly DrainedCall Instance = new();
    }
}
