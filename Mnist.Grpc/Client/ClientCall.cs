using System.IO.Pipelines;
using Google.Protobuf;
using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Client;

/// <summary>
/// One call in flight on the client: the pending response, its message reader and the final status.
/// Every failure leaves as a <see cref="GrpcStatusException"/>.
/// </summary>
internal sealed class ClientCall<TResponse> : IAsyncDisposable
    where TResponse : class, IMessage<TResponse>
{
    private readonly Uri _address;
    private readonly HttpRequestMessage _request;
    private readonly MessageParser _parser;
    private MessageReadLimits _limits;
    private readonly CancellationToken _userToken;
    private readonly CancellationTokenSource _cancellation;
    private readonly bool _hasDeadline;
    private readonly Task<HttpResponseMessage> _sending;
    private HttpResponseMessage? _response;
    private PipeReader? _reader;
    private bool _finished;
    private TResponse? _current;

    public ClientCall(HttpMessageInvoker invoker, Uri address, HttpRequestMessage request, MessageParser parser, int maxReceiveMessageSize, GrpcCallOptions options, TimeSpan? timeout)
    {
        _address = address;
        _request = request;
        _parser = parser;
        _limits = new MessageReadLimits(maxReceiveMessageSize, null, "response");
        _userToken = options.CancellationToken;
        _cancellation = _userToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(_userToken) : new CancellationTokenSource();
        if (timeout is { } value)
        {
            _hasDeadline = true;
            _cancellation.CancelAfter(value > TimeSpan.Zero ? value : TimeSpan.Zero);
        }

        _sending = invoker.SendAsync(request, _cancellation.Token);
    }

    public TResponse Current => _current ?? throw new InvalidOperationException("Call MoveNextAsync first.");

    /// <summary>Reads the next response message; false after the OK status; throws for any other status.</summary>
    public async ValueTask<bool> MoveNextAsync()
    {
        if (_finished)
        {
            return false;
        }

        try
        {
            return await MoveNextCoreAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not GrpcStatusException || _hasDeadline)
        {
            _finished = true;
            throw Translate(exception);
        }
    }

    private async ValueTask<bool> MoveNextCoreAsync()
    {
        var token = _cancellation.Token;
        if (_reader is null)
        {
            _response = await _sending.ConfigureAwait(false);
            if (ResponseStatus.FromHeaders(_response) is { } early)
            {
                _finished = true;
                return early.StatusCode == StatusCode.OK ? false : throw early;
            }

            if (_response.Headers.NonValidated.TryGetValues(GrpcProtocol.EncodingHeader, out var encoding))
            {
                _limits = _limits with { Encoding = encoding.ToString() };
            }

            _reader = PipeReader.Create(await _response.Content.ReadAsStreamAsync(token).ConfigureAwait(false));
        }

        var message = await MessageFraming.ReadMessageAsync(_reader, _parser, _limits, token).ConfigureAwait(false);
        if (message is not null)
        {
            _current = (TResponse)message;
            return true;
        }

        // The body ended: trailers are available now.
        _finished = true;
        var status = ResponseStatus.FromTrailers(_response!);
        return status.StatusCode == StatusCode.OK ? false : throw status;
    }

    private GrpcStatusException Translate(Exception exception)
    {
        if (_hasDeadline && _cancellation.IsCancellationRequested && !_userToken.IsCancellationRequested)
        {
            return new GrpcStatusException(StatusCode.DeadlineExceeded, "Deadline Exceeded", exception);
        }

        if (exception is GrpcStatusException status)
        {
            return status;
        }

        if (exception is OperationCanceledException && _userToken.IsCancellationRequested)
        {
            return new GrpcStatusException(StatusCode.Cancelled, "The call was cancelled by the caller.", exception);
        }

        return TransportErrors.ToStatus(exception, _address);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            // Abandoned mid-call: cancelling resets the stream (RST_STREAM CANCEL).
            await _cancellation.CancelAsync().ConfigureAwait(false);
        }

        if (_reader is not null)
        {
            await _reader.CompleteAsync().ConfigureAwait(false);
        }

        if (_response is null)
        {
            // Never awaited: observe a late failure so it does not surface as an unobserved task exception.
            _ = _sending.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        try
        {
            (_response ?? (_sending.IsCompletedSuccessfully ? _sending.Result : null))?.Dispose();
        }
        finally
        {
            _request.Dispose();
            _cancellation.Dispose();
        }
    }
}
