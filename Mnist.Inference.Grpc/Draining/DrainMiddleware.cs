using Grpc.AspNetCore.Server;
using Mnist.Inference.Grpc.OpenInference;
using Mnist.Inference.Grpc.Services;

namespace Mnist.Inference.Grpc.Draining;

/// <summary>
/// Counts every mnist.v1.Mnist call (gRPC and transcoded REST) and every Open Inference ModelInfer for the drain from the moment its request starts,
/// before its message has arrived, so a call whose body is still coming in counts as in flight. A call that starts
/// after the drain began is marked, and <see cref="DrainInterceptor"/> refuses it with UNAVAILABLE.
/// </summary>
internal static class DrainMiddleware
{
    /// <summary>The <see cref="HttpContext.Items"/> key of a call that arrived while draining.</summary>
    public static readonly object RefusedKey = new();

    // Every mnist.v1 call, and the Open Inference Protocol's inference; its health and metadata calls answer to the
    // end, as grpc.health.v1 does (ServerReady turns false with the drain).
    private static bool IsDrained(GrpcMethodMetadata grpc) =>
        grpc.ServiceType == typeof(MnistService)
        || (grpc.ServiceType == typeof(OpenInferenceService) && grpc.Method.Name == nameof(OpenInferenceService.ModelInfer));

    public static IApplicationBuilder UseServerDrain(this IApplicationBuilder app)
    {
        var drain = app.ApplicationServices.GetRequiredService<ServerDrain>();
        return app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not { } grpc || !IsDrained(grpc))
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
}
