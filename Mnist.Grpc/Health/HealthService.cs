using System.Threading.Channels;
using Grpc.Health.V1;
using Microsoft.Extensions.Hosting;
using Mnist.Grpc.Server;
using Mnist.Grpc.Wire;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Mnist.Grpc.Health;

/// <summary>grpc.health.v1.Health over a <see cref="HealthStatusRegistry"/> (what the kubelet's gRPC probe calls).</summary>
public sealed class HealthService(HealthStatusRegistry registry, IHostApplicationLifetime? lifetime = null)
{
    /// <summary>The service definition to register.</summary>
    public GrpcServiceDefinition CreateDefinition() =>
        GrpcServiceDefinition.For(HealthReflection.Descriptor.Services[0])
            .Unary<HealthCheckRequest, HealthCheckResponse>("Check", CheckAsync)
            .Unary<HealthListRequest, HealthListResponse>("List", ListAsync)
            .ServerStreaming<HealthCheckRequest, HealthCheckResponse>("Watch", WatchAsync);

    /// <summary>The status of one service; NOT_FOUND for names never registered.</summary>
    public Task<HealthCheckResponse> CheckAsync(HealthCheckRequest request, GrpcCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        return registry.TryGetStatus(request.Service, out var status)
            ? Task.FromResult(new HealthCheckResponse { Status = status.Value })
            : throw new GrpcStatusException(StatusCode.NotFound, $"Unknown service '{request.Service}'.");
    }

    /// <summary>Every registered status.</summary>
    public Task<HealthListResponse> ListAsync(HealthListRequest request, GrpcCallContext context)
    {
        var response = new HealthListResponse();
        foreach (var (name, status) in registry.Snapshot())
        {
            response.Statuses.Add(name, new HealthCheckResponse { Status = status });
        }

        return Task.FromResult(response);
    }

    /// <summary>The current status at once, then every change, until the client cancels or the host stops.</summary>
    public async Task WatchAsync(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> writer, GrpcCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(context);
        var changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var subscription = registry.Subscribe(name =>
        {
            if (name == request.Service)
            {
                changed.Writer.TryWrite(true);
            }
        });
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime?.ApplicationStopping ?? default);

        ServingStatus? sent = null;
        try
        {
            while (true)
            {
                var current = registry.TryGetStatus(request.Service, out var status) ? status.Value : ServingStatus.ServiceUnknown;
                if (current != sent)
                {
                    await writer.WriteAsync(new HealthCheckResponse { Status = current }, stopping.Token).ConfigureAwait(false);
                    sent = current;
                }

                await changed.Reader.ReadAsync(stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            // The host is stopping: whatever the registry says, this server no longer serves. Say so, then end
            // the stream with OK so the client reconnects elsewhere.
            if (sent is not ServingStatus.NotServing and not ServingStatus.ServiceUnknown)
            {
                await writer.WriteAsync(new HealthCheckResponse { Status = ServingStatus.NotServing }, context.CancellationToken).ConfigureAwait(false);
            }
        }
    }
}
