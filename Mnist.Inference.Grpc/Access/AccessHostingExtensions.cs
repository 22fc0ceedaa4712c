using Mnist.Inference.Grpc.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Mnist.Inference.Grpc.Access;

/// <summary>Registers API keys (when <c>API_KEYS_FILE</c> is set) and the caller's name for every call.</summary>
public static class AccessHostingExtensions
{
    public static WebApplicationBuilder AddMnistAccess(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var access = builder.AddValidatedOptions<AccessOptions>();
        services.AddSingleton<ApiKeyStore>();
        if (access.Enabled)
        {
            services.AddHostedService<ApiKeyFileWatcher>();
        }

        services.AddAuthentication(CallerAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, CallerAuthenticationHandler>(CallerAuthenticationHandler.SchemeName, configureOptions: null);
        services.AddAuthorization(authorization =>
        {
            // Every endpoint not marked AllowWithoutKey needs a known caller. The policy names no scheme: the
            // default scheme has already set the caller, and naming it would authenticate every call a second time.
            if (access.Enabled)
            {
                authorization.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            }
        });
        // The framework resolves the policy evaluator, and with it the authorization service and its handlers, anew
        // for every request (transient, for policies that vary per request). Ours are stateless and the same for
        // every call, so one instance serves all and a call allocates less.
        services.Replace(ServiceDescriptor.Singleton<IPolicyEvaluator, PolicyEvaluator>());
        return builder;
    }

    /// <summary>The caller's name on the log scope, the span and the request metric; after UseAuthentication.</summary>
    public static IApplicationBuilder UseCallerName(this IApplicationBuilder app) => app.UseMiddleware<CallerMiddleware>();

    /// <summary>These endpoints stay open when keys are on: health, probes, the page's own files.</summary>
    public static TBuilder AllowWithoutKey<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.AllowAnonymous();
}
