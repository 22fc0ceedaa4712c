using Mnist.Inference.Grpc.Configuration;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Mnist.Inference.Grpc.Rejections;

namespace Mnist.Inference.Grpc.RateLimiting;

/// <summary>
/// ASP.NET Core's rate limiter, one token bucket per caller. Over the limit a gRPC call gets RESOURCE_EXHAUSTED
/// with <c>grpc-retry-pushback-ms</c> (trailers-only), a REST call 429 with <c>Retry-After</c>. Health, probes and
/// the page's files are never limited.
/// </summary>
public static class RateLimitingHostingExtensions
{
    private const string Message = "rate limit exceeded: retry after the time in grpc-retry-pushback-ms or Retry-After";

    public static WebApplicationBuilder AddMnistRateLimiting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var limits = builder.AddValidatedOptions<RateLimitOptions>();
        builder.Services.AddRateLimiter(rateLimiter =>
        {
            if (!limits.Enabled)
            {
                return;
            }

            var bucket = new TokenBucketRateLimiterOptions
            {
                TokenLimit = limits.BucketSize,
                TokensPerPeriod = limits.PerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                // Refuse at once: a queued call would hold its connection's stream and its memory while it waits.
                QueueLimit = 0,
                AutoReplenishment = true,
            };
            rateLimiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null
                    ? RateLimitPartition.GetNoLimiter(string.Empty)
                    : RateLimitPartition.GetTokenBucketLimiter(CallerOf(context), _ => bucket));
            rateLimiter.OnRejected = RejectAsync;
        });
        return builder;
    }

    // A named caller (key or certificate) has its own bucket wherever it connects from; otherwise its address does.
    private static string CallerOf(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } name }
            ? "caller:" + name
            : "address:" + context.Connection.RemoteIpAddress;

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        await CallRejection.WriteRetryLaterAsync(rejected.HttpContext, Message, wait);
    }
}
