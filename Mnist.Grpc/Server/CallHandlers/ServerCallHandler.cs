using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Server.CallHandlers;

/// <summary>
/// The request pipeline every call shape shares: protocol and content-type validation, draining,
/// body limits, deadline, and the one place where every failure becomes a gRPC status.
/// </summary>
internal abstract class ServerCallHandler(string method, GrpcServerRuntime runtime)
{
    protected string Method { get; } = method;

    protected GrpcServerRuntime Runtime { get; } = runtime;

    protected virtual bool IsStreamingRequest => false;

    public async Task HandleAsync(HttpContext http)
    {
        if (!HttpProtocol.IsHttp2(http.Request.Protocol))
        {
            http.Response.Headers.Upgrade = "h2c";
            Reject(http, StatusCodes.Status426UpgradeRequired, $"gRPC requires HTTP/2; the request used {http.Request.Protocol}.");
            return;
        }

        if (!IsGrpcContentType(http.Request.ContentType))
        {
            Reject(http, StatusCodes.Status415UnsupportedMediaType, $"Content-Type '{http.Request.ContentType}' is not supported; expected {GrpcProtocol.ContentType} (optionally +proto).");
            return;
        }

        var response = http.Response;
        response.ContentType = GrpcProtocol.ContentType;
        response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodings;
        DisableKestrelBodyLimits(http);

        var call = new ServerCall(http, Runtime, Method);
        try
        {
            if (Runtime.Lifecycle.IsDraining)
            {
                throw new GrpcStatusException(StatusCode.Unavailable, "The server is shutting down; retry on another instance.");
            }

            await HandleCallAsync(call).ConfigureAwait(false);
            await call.CompleteAsync(StatusCode.OK, null).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            await FailAsync(http, call, exception).ConfigureAwait(false);
        }
        finally
        {
            await call.DisposeAsync().ConfigureAwait(false);
        }
    }

    protected abstract Task HandleCallAsync(ServerCall call);

    private async Task FailAsync(HttpContext http, ServerCall call, Exception exception)
    {
        if (call.IsCompleted)
        {
            // The deadline already answered; whatever the handler did afterwards is moot.
            GrpcServerLog.LateFailure(Runtime.Logger, Method, exception.Message);
            return;
        }

        if (exception is GrpcStatusException status)
        {
            GrpcServerLog.CallFailed(Runtime.Logger, Method, status.StatusCode, status.Detail);
            await call.CompleteAsync(status.StatusCode, status.Detail).ConfigureAwait(false);
            return;
        }

        if (http.RequestAborted.IsCancellationRequested)
        {
            // The client reset the stream: nobody is listening for a status.
            GrpcServerLog.CallCancelled(Runtime.Logger, Method);
            await call.CompleteAsync(StatusCode.Cancelled, "Call cancelled by the client.").ConfigureAwait(false);
            return;
        }

        GrpcServerLog.HandlerFailed(Runtime.Logger, Method, StatusCode.Unknown, exception);
        await call.CompleteAsync(StatusCode.Unknown, "Exception was thrown by handler.").ConfigureAwait(false);
    }

    private void Reject(HttpContext http, int httpStatus, string reason)
    {
        GrpcServerLog.RequestRejected(Runtime.Logger, Method, httpStatus, reason);
        http.Response.StatusCode = httpStatus;
        http.Response.Headers[GrpcProtocol.StatusHeader] = "13";
        http.Response.Headers[GrpcProtocol.MessageHeader] = GrpcMessageEncoding.Encode(reason);
    }

    private void DisableKestrelBodyLimits(HttpContext http)
    {
        // The per-message limit is ours (RESOURCE_EXHAUSTED from the prefix); Kestrel's 30 MB body
        // limit must not cut a long stream, nor its minimum data rate an idle bidi stream.
        var maxSize = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (maxSize is { IsReadOnly: false })
        {
            maxSize.MaxRequestBodySize = null;
        }

        if (IsStreamingRequest && http.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            rate.MinDataRate = null;
        }
    }

    internal static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(GrpcProtocol.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return contentType.Length == GrpcProtocol.ContentType.Length
            || contentType[GrpcProtocol.ContentType.Length] is '+' or ';';
    }
}
