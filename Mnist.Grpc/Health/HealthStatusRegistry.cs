using System.Diagnostics.CodeAnalysis;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Mnist.Grpc.Health;

/// <summary>
/// The serving status per service name (<c>""</c> = the whole server), as grpc.health.v1 reports it.
/// Thread-safe; subscribers hear about every change.
/// </summary>
public sealed class HealthStatusRegistry
{
    /// <summary>The name that stands for the server as a whole.</summary>
    public const string OverallService = "";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, ServingStatus> _statuses = new(StringComparer.Ordinal);
    private Action<string>[] _subscribers = [];

    /// <summary>Sets the status of <paramref name="service"/>; watchers are told if it changed.</summary>
    public void SetStatus(string service, ServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (status is ServingStatus.ServiceUnknown)
        {
            throw new ArgumentException("SERVICE_UNKNOWN is reported for unregistered names; use ClearStatus.", nameof(status));
        }

        bool changed;
        lock (_lock)
        {
            changed = !_statuses.TryGetValue(service, out var old) || old != status;
            _statuses[service] = status;
        }

        if (changed)
        {
            Notify(service);
        }
    }

    /// <summary>Forgets <paramref name="service"/>: Check answers NOT_FOUND, watchers get SERVICE_UNKNOWN.</summary>
    public bool ClearStatus(string service)
    {
        ArgumentNullException.ThrowIfNull(service);
        bool removed;
        lock (_lock)
        {
            removed = _statuses.Remove(service);
        }

        if (removed)
        {
            Notify(service);
        }

        return removed;
    }

    /// <summary>The status of <paramref name="service"/>, if it is registered.</summary>
    public bool TryGetStatus(string service, [NotNullWhen(true)] out ServingStatus? status)
    {
        lock (_lock)
        {
            if (_statuses.TryGetValue(service, out var value))
            {
                status = value;
                return true;
            }
        }

        status = null;
        return false;
    }

    /// <summary>A copy of every registered status.</summary>
    public IReadOnlyDictionary<string, ServingStatus> Snapshot()
    {
        lock (_lock)
        {
            return new Dictionary<string, ServingStatus>(_statuses, StringComparer.Ordinal);
        }
    }

    /// <summary>Calls <paramref name="onChanged"/> with the service name after each change until disposed.</summary>
    public IDisposable Subscribe(Action<string> onChanged)
    {
        ArgumentNullException.ThrowIfNull(onChanged);
        lock (_lock)
        {
            _subscribers = [.. _subscribers, onChanged];
        }

        return new Subscription(this, onChanged);
    }

    internal int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    private void Notify(string service)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            subscriber(service);
        }
    }

    private void Unsubscribe(Action<string> onChanged)
    {
        lock (_lock)
        {
            _subscribers = Array.FindAll(_subscribers, s => s != onChanged);
        }
    }

    private sealed class Subscription(HealthStatusRegistry registry, Action<string> onChanged) : IDisposable
    {
        public void Dispose() => registry.Unsubscribe(onChanged);
    }
}
