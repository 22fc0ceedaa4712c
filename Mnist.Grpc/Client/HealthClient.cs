using Grpc.Health.V1;

namespace Mnist.Grpc.Client;

/// <summary>Typed calls to grpc.health.v1.Health. Failures throw <see cref="Wire.GrpcStatusException"/>.</summary>
public sealed class HealthClient
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Service = HealthReflection.Descriptor.Services[0];
    private static readonly GrpcMethod<HealthCheckRequest, HealthCheckResponse> Check = new(Service, "Check");
    private static readonly GrpcMethod<HealthListRequest, HealthListResponse> List = new(Service, "List");
    private static readonly GrpcMethod<HealthCheckRequest, HealthCheckResponse> Watch = new(Service, "Watch");

    private readonly GrpcClient _client;

    /// <summary>Wraps a connected <see cref="GrpcClient"/>.</summary>
    public HealthClient(GrpcClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <summary>The status of <paramref name="service"/> (<c>""</c> = the whole server); NOT_FOUND if unknown.</summary>
    public Task<HealthCheckResponse> HealthCheckAsync(string service = "", GrpcCallOptions? options = null) =>
        _client.UnaryAsync(Check, new HealthCheckRequest { Service = service }, options);

    /// <summary>Every status the server knows.</summary>
    public Task<HealthListResponse> ListAsync(GrpcCallOptions? options = null) =>
        _client.UnaryAsync(List, new HealthListRequest(), options);

    /// <summary>The current status, then each change, until <paramref name="cancellationToken"/> fires.</summary>
    public IAsyncEnumerable<HealthCheckResponse> WatchAsync(string service = "", CancellationToken cancellationToken = default) =>
        _client.ServerStreamingAsync(Watch, new HealthCheckRequest { Service = service }, null, cancellationToken);
}
