using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Client;

/// <summary>
/// A gRPC client over HttpClient: HTTP/2 prior knowledge (h2c) for <c>http://</c>, TLS with ALPN
/// for <c>https://</c>. Thread-safe; share one per server. Failures throw <see cref="GrpcStatusException"/>.
/// </summary>
public sealed class GrpcClient : IDisposable
{
    private readonly HttpMessageInvoker _invoker;
    private readonly bool _ownsInvoker;
    private readonly GrpcClientOptions _options;
    private readonly ConcurrentDictionary<string, Uri> _methodUris = new(StringComparer.Ordinal);

    /// <summary>Creates a client with its own connection pool.</summary>
    public GrpcClient(Uri address, GrpcClientOptions? options = null)
        : this(new HttpMessageInvoker(CreateHandler()), address, options, ownsInvoker: true)
    {
    }

    /// <summary>Creates a client over a caller-owned handler (e.g. a test server's).</summary>
    public GrpcClient(HttpMessageInvoker invoker, Uri address, GrpcClientOptions? options = null)
        : this(invoker, address, options, ownsInvoker: false)
    {
    }

    private GrpcClient(HttpMessageInvoker invoker, Uri address, GrpcClientOptions? options, bool ownsInvoker)
    {
        ArgumentNullException.ThrowIfNull(invoker);
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The address must be an absolute http:// or https:// URI, not '{address}'.", nameof(address));
        }

        _invoker = invoker;
        _ownsInvoker = ownsInvoker;
        Address = address;
        _options = options ?? new GrpcClientOptions();
    }

    /// <summary>The server, e.g. <c>http://localhost:50051</c>.</summary>
    public Uri Address { get; }

    /// <summary>Calls a unary method.</summary>
    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method, TRequest request, GrpcCallOptions? options = null)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(request);
        await using var call = Start(method, new UnaryRequestContent(request), options ?? GrpcCallOptions.Default);
        if (!await call.MoveNextAsync().ConfigureAwait(false))
        {
            throw new GrpcStatusException(StatusCode.Internal, $"{method.Path} returned OK without a response message.");
        }

        var response = call.Current;
        if (await call.MoveNextAsync().ConfigureAwait(false))
        {
            throw new GrpcStatusException(StatusCode.Internal, $"{method.Path} returned more than one response message.");
        }

        return response;
    }

    /// <summary>Calls a server-streaming method; enumerating yields each response as it arrives.</summary>
    public async IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method, TRequest request, GrpcCallOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(request);
        options ??= GrpcCallOptions.Default;
        if (cancellationToken.CanBeCanceled)
        {
            options = options with { CancellationToken = cancellationToken };
        }

        await using var call = Start(method, new UnaryRequestContent(request), options);
        while (await call.MoveNextAsync().ConfigureAwait(false))
        {
            yield return call.Current;
        }
    }

    /// <summary>Starts a bidirectional-streaming call.</summary>
    public GrpcDuplexCall<TRequest, TResponse> DuplexStreaming<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method, GrpcCallOptions? options = null)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        var content = new StreamingRequestContent();
        return new GrpcDuplexCall<TRequest, TResponse>(content.Writer, Start(method, content, options ?? GrpcCallOptions.Default));
    }

    private ClientCall<TResponse> Start<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method, HttpContent content, GrpcCallOptions options)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _methodUris.GetOrAdd(method.Path, static (path, address) => new Uri(address, path), Address))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        var headers = request.Headers;
        headers.TryAddWithoutValidation(GrpcProtocol.TeHeader, GrpcProtocol.TeTrailers);
        headers.TryAddWithoutValidation("user-agent", _options.UserAgent);
        headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.SupportedEncodings);
        var timeout = options.Deadline is { } deadline ? deadline - DateTimeOffset.UtcNow : options.Timeout;
        if (timeout is { } value)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(value));
        }

        if (options.Headers is not null)
        {
            foreach (var (name, value2) in options.Headers)
            {
                headers.TryAddWithoutValidation(name, value2);
            }
        }

        return new ClientCall<TResponse>(_invoker, Address, request, method.ResponseParser, _options.MaxReceiveMessageSize, options, timeout);
    }

    private static SocketsHttpHandler CreateHandler() => new()
    {
        EnableMultipleHttp2Connections = true,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        KeepAlivePingDelay = TimeSpan.FromSeconds(60),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Closes the connections if this client created them.</summary>
    public void Dispose()
    {
        if (_ownsInvoker)
        {
            _invoker.Dispose();
        }
    }
}
