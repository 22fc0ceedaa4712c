using System.Security.Claims;
using System.Text.Encodings.Web;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Mnist.Inference.Grpc.Rejections;

namespace Mnist.Inference.Grpc.Access;

/// <summary>
/// Names the caller: with API keys on, the name of the key sent as <c>authorization: Bearer KEY</c> or
/// <c>x-api-key: KEY</c>; otherwise the subject of a client certificate Kestrel verified (mTLS). An ASP.NET Core
/// authentication scheme, so one check covers gRPC, transcoded REST and every hand-written route alike.
/// </summary>
internal sealed class CallerAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyStore keys,
    IOptions<AccessOptions> access)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "MnistCaller";
    public const string ApiKeyHeader = "x-api-key";
    private const string BearerPrefix = "Bearer ";
    private const string MissingKey = "an API key is required: send authorization: Bearer <key> or x-api-key: <key>";
    private const string WrongKey = "the API key is not valid";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (access.Value.Enabled)
        {
            if (!TryGetPresentedKey(Request.Headers, out var presented))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            return Task.FromResult(keys.Find(presented) is { } key ? Success(key.Caller) : AuthenticateResult.Fail(WrongKey));
        }

        return Task.FromResult(Context.Connection.ClientCertificate is { } certificate
            ? Success(Callers.Named(certificate.Subject, Callers.CertificateMethod))
            : AuthenticateResult.NoResult());
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        var message = result.Failure is null ? MissingKey : WrongKey;
        AccessLog.CallRefused(Logger, message);
        Response.Headers.WWWAuthenticate = "Bearer";
        await CallRejection.WriteAsync(Context, StatusCode.Unauthenticated, message);
    }

    // A slice of the header's own string: the key is never copied.
    private static bool TryGetPresentedKey(IHeaderDictionary headers, out ReadOnlySpan<char> key)
    {
        var authorization = headers.Authorization;
        if (authorization.Count == 1 && authorization[0] is { } value && value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            key = value.AsSpan(BearerPrefix.Length).Trim();
            return true;
        }

        var apiKey = headers[ApiKeyHeader];
        key = apiKey.Count == 1 ? apiKey[0].AsSpan().Trim() : default;
        return apiKey.Count == 1;
    }

    private static AuthenticateResult Success(ClaimsPrincipal caller) =>
        AuthenticateResult.Success(new AuthenticationTicket(caller, SchemeName));
}
