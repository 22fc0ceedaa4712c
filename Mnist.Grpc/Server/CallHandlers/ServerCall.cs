using System.Globalization;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Server.CallHandlers;

/// <summary>
/// The state of one call on the server: reads, writes and the single completion (status into
/// Trailers-Only headers or trailers). A write lock orders handler writes against the deadline timer.
/// </summary>
internal sealed class ServerCall : IAsyncDisposable
{
    private static readonly StringValues OkStatus = new("0");
    private readonly HttpContext _http;
    private readonly GrpcServerRuntime _runtime;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly CancellationTokenSource? _deadlineSource;
    private readonly ITimer? _deadlineTimer;
    private readonly TimeSpan _timeout;
    private Task? _deadlineTask;
    private bool _messageWritten;
    private bool _completed;

    public ServerCall(HttpContext http, GrpcServerRuntime runtime, string method)
    {
        _http = http;
        _runtime = runtime;
        var limits = runtime.Options.MaxReceiveMessageSize;
        ReadLimits = new MessageReadLimits(limits, EncodingOf(http.Request.Headers), "request");

        var token = http.RequestAborted;
        DateTimeOffset? deadline = null;
        if (TryGetTimeout(http.Request.Headers, out _timeout))
        {
            deadline = runtime.TimeProvider.GetUtcNow() + _timeout;
            _deadlineSource = CancellationTokenSource.CreateLinkedTokenSource(token);
            token = _deadlineSource.Token;
            _deadlineTimer = runtime.TimeProvider.CreateTimer(static state => ((ServerCall)state!).OnDeadline(), this, _timeout, Timeout.InfiniteTimeSpan);
        }

        Context = new GrpcCallContext(method, http, deadline, token);
    }

    public GrpcCallContext Context { get; }

    public MessageReadLimits ReadLimits { get; }

    public bool DeadlineExceeded { get; private set; }

    public bool IsCompleted => Volatile.Read(ref _completed);

    public HttpRequest Request => _http.Request;

    public async Task WriteMessageAsync(IMessage message, bool flush, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                throw new OperationCanceledException("The call has already completed (deadline exceeded or cancelled).");
            }

            MessageFraming.WriteMessage(_http.Response.BodyWriter, message);
            _messageWritten = true;
            if (flush)
            {
                await _http.Response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Sets the final status once; later calls are ignored.</summary>
    public async Task CompleteAsync(StatusCode status, string? detail)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            SetStatus(status, detail);
        }
        finally
        {
            _lock.Release();
        }
    }

    private void SetStatus(StatusCode status, string? detail)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        var response = _http.Response;
        var trailersOnly = !_messageWritten && !response.HasStarted;
        var target = trailersOnly ? response.Headers : _http.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        if (target is null)
        {
            return;
        }

        target[GrpcProtocol.StatusHeader] = status == StatusCode.OK ? OkStatus : ((int)status).ToString(CultureInfo.InvariantCulture);
        if (!string.IsNullOrEmpty(detail))
        {
            target[GrpcProtocol.MessageHeader] = GrpcMessageEncoding.Encode(detail);
        }

        if (Context.HasResponseTrailers)
        {
            foreach (var (name, value) in Context.ResponseTrailers)
            {
                target[name] = value;
            }
        }
    }

    private void OnDeadline() => Volatile.Write(ref _deadlineTask, DeadlineExceededAsync());

    private async Task DeadlineExceededAsync()
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                return;
            }

            DeadlineExceeded = true;
            GrpcServerLog.DeadlineExceeded(_runtime.Logger, Context.Method, _timeout);
            SetStatus(StatusCode.DeadlineExceeded, "Deadline Exceeded");
            try
            {
                // Flush the status with END_STREAM, then tell the client to stop sending.
                await _http.Response.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or InvalidOperationException or OperationCanceledException)
            {
                GrpcServerLog.LateFailure(_runtime.Logger, Context.Method, exception.Message);
            }

            await _deadlineSource!.CancelAsync().ConfigureAwait(false);
            var reset = _http.Features.Get<IHttpResetFeature>();
            if (reset is not null)
            {
                reset.Reset(GrpcProtocol.Http2CancelErrorCode);
            }
            else
            {
                _http.Abort();
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_deadlineTimer is null)
        {
            return;
        }

        await _deadlineTimer.DisposeAsync().ConfigureAwait(false);
        // A timer callback that already started must finish before the HttpContext is recycled.
        await _lock.WaitAsync().ConfigureAwait(false);
        _completed = true;
        _lock.Release();
        var pending = Volatile.Read(ref _deadlineTask);
        if (pending is not null)
        {
            await pending.ConfigureAwait(false);
        }

        _deadlineSource!.Dispose();
    }

    private static string? EncodingOf(IHeaderDictionary headers)
    {
        var value = headers[GrpcProtocol.EncodingHeader];
        return value.Count == 0 ? null : value.ToString();
    }

    private static bool TryGetTimeout(IHeaderDictionary headers, out TimeSpan timeout)
    {
        timeout = default;
        var value = headers[GrpcProtocol.TimeoutHeader];
        // Longer than a timer can run (about 49 days) means no deadline in practice.
        return value.Count == 1
            && GrpcTimeout.TryParse(value[0], out timeout)
            && timeout.TotalMilliseconds < uint.MaxValue - 1;
    }
}
