using Mnist.Inference.Grpc.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Mnist.Inference.Grpc.Draining;
using Mnist.Inference.Grpc.Rejections;

namespace Mnist.Inference.Grpc.Admission;

/// <summary>
/// Admits a call only while the calls admitted, and the request bytes they hold, are under their bounds; beyond
/// them it is refused at once, before its body is read: RESOURCE_EXHAUSTED with <c>grpc-retry-pushback-ms</c>
/// (trailers-only), or 429 with <c>Retry-After</c>. Probes, health and metrics are never held back, nor is a call the
/// drain refuses (it gets UNAVAILABLE).
/// </summary>
internal sealed class AdmissionMiddleware(RequestDelegate next, AdmissionGate gate, IOptions<AdmissionOptions> options)
{
    private readonly int _maxCalls = options.Value.MaxConcurrentCalls;
    private readonly long _maxBytes = options.Value.MaxAdmittedRequestBytes;

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsExempt(context.Request.Path) || context.Items.ContainsKey(DrainMiddleware.RefusedKey))
        {
            await next(context);
            return;
        }

        var request = context.Request;
        // A declared length is charged up front; a body of unknown length as it is read.
        var declared = request.ContentLength ?? 0;
        var unknownLength = request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true;
        if (!gate.TryEnter(declared))
        {
            var message = gate.Calls >= _maxCalls ? Statuses.TooManyCallsMessage(_maxCalls) : Statuses.TooManyRequestBytesMessage(_maxBytes);
            await CallRejection.WriteRetryLaterAsync(context, message, Statuses.RetryAfter);
            return;
        }

        if (!CallRejection.IsGrpc(request))
        {
            CallRejection.AddRetryAfterTo429(context.Response);
        }

        ChargedRequestStream? charged = null;
        if (unknownLength)
        {
            request.Body = charged = new ChargedRequestStream(request.Body, gate, _maxBytes);
        }

        try
        {
            await next(context);
        }
        finally
        {
            gate.Exit(declared + (charged?.Charged ?? 0));
        }
    }

    // Probes and health answer whatever is queued (the kubelet gives them a second), and so does the scrape.
    private static bool IsExempt(PathString path) =>
        path.StartsWithSegments("/grpc.health.v1.Health")
        || path.StartsWithSegments("/grpc.reflection.v1.ServerReflection")
        || path.StartsWithSegments("/grpc.reflection.v1alpha.ServerReflection")
        || path == "/mnist.v1.Mnist/Health"
        || path == "/inference.GRPCInferenceService/ServerLive"
        || path == "/inference.GRPCInferenceService/ServerReady"
        || path == "/inference.GRPCInferenceService/ModelReady"
        || path == "/health" || path == "/healthz" || path == "/v1/health"
        || path.StartsWithSegments("/v2/health")
        || path == "/metrics";
}
