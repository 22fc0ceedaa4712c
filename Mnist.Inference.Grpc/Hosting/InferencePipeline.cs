using Microsoft.Extensions.Options;
using Mnist.Inference.Grpc.Access;
using Mnist.Inference.Grpc.Admission;
using Mnist.Inference.Grpc.Draining;
using Mnist.Inference.Grpc.Observability;
using Mnist.Inference.Grpc.Rest;
using Mnist.Inference.Grpc.SecurityHeaders;

namespace Mnist.Inference.Grpc.Hosting;

/// <summary>The middleware pipeline, in order, then the endpoints (<see cref="InferenceEndpoints"/>).</summary>
public static class InferencePipeline
{
    public static WebApplication UseInferencePipeline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var ports = app.Services.GetRequiredService<IOptions<PortOptions>>().Value;
        var rest = app.Services.GetRequiredService<IOptions<RestOptions>>().Value;
        var telemetry = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;

        // Routing first, so every later step knows the endpoint: its port, its drain and key rules.
        app.UseRouting();
        app.UseGrpcStatusMetrics(telemetry);   // before every refusal below, so refusals are counted too
        app.UseSecurityHeaders();
        app.UseServerDrain();                  // counts calls in flight; marks those that arrive while draining
        app.UseRestCors(rest);
        if (rest.OpenApiEnabled)
        {
            app.UseSwaggerPage(ports.HttpPort);
        }

        app.UseAuthentication();               // API key or client certificate
        app.UseAuthorization();                // UNAUTHENTICATED / 401 unless the endpoint is open
        app.UseCallerName();                   // the caller on the log scope, the span and the metrics
        app.UseRateLimiter();                  // per caller: RESOURCE_EXHAUSTED / 429
        app.UseAdmission();                    // calls and request bytes at once: RESOURCE_EXHAUSTED / 429, probes exempt
        app.UseJsonBodyLimit();
        return app.MapInferenceEndpoints();
    }
}
