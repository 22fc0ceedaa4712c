using Microsoft.AspNetCore.Connections;

namespace Mnist.Inference.Grpc.Draining;

/// <summary>
/// The SIGTERM drain: counts the Mnist calls in flight and, once <see cref="Begin"/> is called, refuses new ones
/// while those in flight finish. <see cref="Started"/> is raised before the first call is refused, so health is
/// NOT_SERVING before any client sees UNAVAILABLE.
/// </summary>
/// <remarks>
/// The whole story, in order: <see cref="DrainOnShutdown"/> hears SIGTERM (the host's stopping event) and calls
/// <see cref="Begin"/>; <c>ModelReload/ServingStatusPublisher</c> turns grpc.health.v1 NOT_SERVING on
/// <see cref="Started"/>; <see cref="DrainMiddleware"/> counts every call mapped <c>WithDrain</c> from its first
/// byte and marks those that arrive too late, which <see cref="DrainInterceptor"/> (gRPC) and
/// <c>Rest/RestErrorBoundary</c> (hand-written routes) refuse with <c>Errors/Statuses.ShuttingDown</c>;
/// <see cref="RefuseNewConnections"/> closes connections opened after the drain began, and
/// <see cref="LingeringClose"/> lets a slow client finish sending before a socket closes, so no answer it was
/// sent is lost; the host then waits for the calls in flight, up to <c>DRAIN_SECONDS</c> (<see cref="DrainOptions"/>).
/// </remarks>
public sealed class ServerDrain
{
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _begun;
    private volatile bool _refusing;
    private volatile bool _closing;

    /// <summary>Raised once, when the drain begins (before new calls are refused).</summary>
    public event Action? Started;

    /// <summary>True from the moment the drain begins (health then says NOT_SERVING).</summary>
    public bool IsDraining => Volatile.Read(ref _begun) == 1;

    /// <summary>Registers a call; false (and nothing registered) once the drain has begun.</summary>
    public bool TryEnter()
    {
        // Count first, then check: Begin sets the flag before it looks at the count, so no call slips past both.
        Interlocked.Increment(ref _inFlight);
        if (!_refusing)
        {
            return true;
        }

        Exit();
        return false;
    }

    /// <summary>Ends a call registered by <see cref="TryEnter"/>.</summary>
    public void Exit()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && _refusing)
        {
            _idle.TrySetResult();
        }
    }

    /// <summary>Health turns NOT_SERVING (through <see cref="Started"/>), then new calls are refused. Idempotent.</summary>
    public void Begin()
    {
        if (Interlocked.Exchange(ref _begun, 1) == 1)
        {
            return;
        }

        Started?.Invoke();
        _refusing = true;
        if (Volatile.Read(ref _inFlight) == 0)
        {
            _idle.TrySetResult();
        }
    }

    /// <summary>Ends the drain proper: from now on <see cref="RefuseNewConnections"/> turns connections away.</summary>
    public void BeginClosing() => _closing = true;

    /// <summary>
    /// Kestrel connection middleware for the gRPC port. Kestrel may still accept a connection while it closes the
    /// others, and then answers its preface with GOAWAY alone, which clients report as INTERNAL; a connection aborted
    /// before HTTP/2 starts is a plain transport failure, which they report as UNAVAILABLE.
    /// </summary>
    public Func<ConnectionDelegate, ConnectionDelegate> RefuseNewConnections => next => connection =>
    {
        if (!_closing)
        {
            return next(connection);
        }

        connection.Abort(new ConnectionAbortedException("The server is shutting down."));
        return Task.CompletedTask;
    };

    /// <summary>Completes when the drain has begun and no call is in flight.</summary>
    public Task WaitForIdleAsync(CancellationToken cancellationToken) => _idle.Task.WaitAsync(cancellationToken);
}
