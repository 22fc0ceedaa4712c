using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Mnist.Inference.Grpc.Configuration;
using Mnist.Inference.Grpc.Rest;

namespace Mnist.Inference.Grpc.Admission;

/// <summary>
/// What a replica takes on: Kestrel's limits on both ports, the bound on admitted calls and their request bytes,
/// decode slots. Every limit is set here on purpose; docs/operating.md ("Resource bounds") gives the arithmetic.
/// </summary>
public static class AdmissionHostingExtensions
{
    /// <summary>The largest gRPC message, compressed or not (grpc-dotnet refuses a larger one, and a gzip bomb, from its header).</summary>
    public const int MaxGrpcMessageBytes = 4 * 1024 * 1024;

    /// <summary>Registers <see cref="AdmissionOptions"/>, the gate and the decode slots, and sets Kestrel's limits.</summary>
    public static WebApplicationBuilder AddMnistAdmission(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var admission = builder.AddValidatedOptions<AdmissionOptions>();
        builder.Services.AddSingleton<AdmissionGate>();
        builder.Services.AddSingleton<DecodeSlots>();
        builder.Services.Configure<GrpcServiceOptions>(grpc => grpc.MaxReceiveMessageSize = MaxGrpcMessageBytes);

        var rest = builder.Configuration.Get<RestOptions>() ?? new RestOptions();
        builder.WebHost.ConfigureKestrel(kestrel => SetLimits(kestrel.Limits, admission, rest));
        return builder;
    }

    /// <summary>Admission control, after authentication and rate limiting (a refused caller never holds a place).</summary>
    public static IApplicationBuilder UseAdmission(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ApplicationServices.GetRequiredService<IOptions<AdmissionOptions>>().Value;
        AdmissionLog.Limits(app.ApplicationServices.GetRequiredService<ILogger<AdmissionGate>>(),
            options.MaxConcurrentCalls, options.MaxAdmittedRequestBytes, options.MaxConnections, options.MaxStreamsPerConnection,
            options.DecodeSlots, options.DecodeSlotWaitMilliseconds, options.MaxQueuedImages);
        return app.UseMiddleware<AdmissionMiddleware>();
    }

    private static void SetLimits(KestrelServerLimits limits, AdmissionOptions admission, RestOptions rest)
    {
        limits.MaxConcurrentConnections = admission.MaxConnections;
        limits.MaxConcurrentUpgradedConnections = 0;
        // Each route sets its own, lower bound on what it reads (JSON 6 MiB, multipart MAX_UPLOAD_BYTES, gRPC's message
        // size); this one bounds what Kestrel reads and discards after an early refusal, so that an HTTP/1.1 client
        // still gets its 413 rather than a broken pipe. Discarded bytes are never held.
        limits.MaxRequestBodySize = Math.Max(32L * 1024 * 1024, rest.MaxUploadSize);
        // What Kestrel buffers per HTTP/1.1 connection before the application reads it (default 1 MiB).
        limits.MaxRequestBufferSize = 64 * 1024;
        limits.MaxRequestHeadersTotalSize = 32 * 1024;
        limits.MaxRequestHeaderCount = 64;
        limits.MaxRequestLineSize = 8 * 1024;
        // Against slowloris: headers within 10 s, bodies at 1 KiB/s or more after 5 s; idle connections go after 2 min.
        limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
        limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 1024, gracePeriod: TimeSpan.FromSeconds(5));
        limits.KeepAliveTimeout = TimeSpan.FromMinutes(2);

        limits.Http2.MaxStreamsPerConnection = admission.MaxStreamsPerConnection;
        limits.Http2.MaxRequestHeaderFieldSize = 16 * 1024;
        limits.Http2.HeaderTableSize = 4096;
        // What a client may send ahead of the application's reads, per connection and per call: with MAX_CONNECTIONS,
        // the most memory bodies not yet admitted can take (defaults 1 MiB and 768 KiB).
        limits.Http2.InitialConnectionWindowSize = 128 * 1024;
        limits.Http2.InitialStreamWindowSize = 128 * 1024;
        // Pings find connections whose peer is gone (a pod's client killed without FIN) before keep-alive would.
        limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
        limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);
    }
}
