using Grpc.Health.V1;
using Grpc.Core;
using Grpc.Net.Client;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>A <c>grpc.health.v1.Health/Watch</c> stream read in the background: every update with its time, and how it ended.</summary>
internal sealed class HealthWatch
{
    private readonly List<(DateTimeOffset At, ServingStatus Status)> _updates = [];
    private readonly Dictionary<ServingStatus, TaskCompletionSource<DateTimeOffset>> _seen =
        Enum.GetValues<ServingStatus>().ToDictionary(s => s, _ => new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously));

    public HealthWatch(GrpcChannel channel, string service, CancellationToken cancellationToken)
    {
        Service = service;
        Completion = Task.Run(async () =>
        {
            try
            {
                using var call = new Health.HealthClient(channel).Watch(new HealthCheckRequest { Service = service }, cancellationToken: cancellationToken);
                await foreach (var update in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    var at = DateTimeOffset.UtcNow;
                    lock (_updates)
                    {
                        _updates.Add((at, update.Status));
                    }

                    _seen[update.Status].TrySetResult(at);
                }

                return "OK";
            }
            catch (RpcException failure)
            {
                return $"{failure.StatusCode}: {failure.Message}";
            }
        });
    }

    public string Service { get; }

    /// <summary>"OK" when the server ended the stream normally, else the status it failed with.</summary>
    public Task<string> Completion { get; }

    public IReadOnlyList<(DateTimeOffset At, ServingStatus Status)> Updates
    {
        get
        {
            lock (_updates)
            {
                return _updates.ToList();
            }
        }
    }

    /// <summary>When <paramref name="status"/> first arrived.</summary>
    public Task<DateTimeOffset> SeenAsync(ServingStatus status, TimeSpan timeout) => _seen[status].Task.WaitAsync(timeout);

    public override string ToString() =>
        $"Watch(\"{Service}\"): {string.Join(", ", Updates.Select(u => $"{u.At:HH:mm:ss.fff} {u.Status}"))}" +
        (Completion.IsCompleted ? $"; ended {Completion.Result}" : "; still open");
}
