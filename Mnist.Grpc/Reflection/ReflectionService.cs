using Google.Protobuf;
using Google.Protobuf.Reflection;
using Mnist.Grpc.Server;
using ReflectionV1 = Grpc.Reflection.V1;
using ReflectionV1Alpha = Grpc.Reflection.V1Alpha;

namespace Mnist.Grpc.Reflection;

/// <summary>
/// grpc.reflection.v1 and v1alpha (what grpcurl uses), describing every registered service. The
/// services are read lazily, on the first call, so this service can describe itself.
/// </summary>
public sealed class ReflectionService
{
    private readonly Lazy<(ReflectionSymbolIndex Index, IReadOnlyList<string> Names)> _catalog;

    /// <summary>Creates the service over the descriptors <paramref name="services"/> returns when first called.</summary>
    public ReflectionService(Func<IEnumerable<ServiceDescriptor>> services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _catalog = new(() =>
        {
            var descriptors = services().ToList();
            return (new ReflectionSymbolIndex(descriptors), descriptors.Select(s => s.FullName).ToList());
        });
    }

    /// <summary>The grpc.reflection.v1 definition.</summary>
    public GrpcServiceDefinition CreateV1Definition() =>
        GrpcServiceDefinition.For(ReflectionV1.ReflectionReflection.Descriptor.Services[0])
            .DuplexStreaming<ReflectionV1.ServerReflectionRequest, ReflectionV1.ServerReflectionResponse>("ServerReflectionInfo", ServeV1Async);

    /// <summary>The grpc.reflection.v1alpha definition (same messages under the older package).</summary>
    public GrpcServiceDefinition CreateV1AlphaDefinition() =>
        GrpcServiceDefinition.For(ReflectionV1Alpha.ReflectionReflection.Descriptor.Services[0])
            .DuplexStreaming<ReflectionV1Alpha.ServerReflectionRequest, ReflectionV1Alpha.ServerReflectionResponse>("ServerReflectionInfo", ServeV1AlphaAsync);

    private async Task ServeV1Async(
        IAsyncStreamReader<ReflectionV1.ServerReflectionRequest> requests, IServerStreamWriter<ReflectionV1.ServerReflectionResponse> responses, GrpcCallContext context)
    {
        var responder = CreateResponder();
        while (await requests.MoveNextAsync(context.CancellationToken).ConfigureAwait(false))
        {
            await responses.WriteAsync(responder.Answer(requests.Current), context.CancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ServeV1AlphaAsync(
        IAsyncStreamReader<ReflectionV1Alpha.ServerReflectionRequest> requests, IServerStreamWriter<ReflectionV1Alpha.ServerReflectionResponse> responses, GrpcCallContext context)
    {
        var responder = CreateResponder();
        while (await requests.MoveNextAsync(context.CancellationToken).ConfigureAwait(false))
        {
            // The two packages share field numbers, so the bytes convert losslessly.
            var request = ReflectionV1.ServerReflectionRequest.Parser.ParseFrom(requests.Current.ToByteString());
            var answer = responder.Answer(request);
            await responses.WriteAsync(ReflectionV1Alpha.ServerReflectionResponse.Parser.ParseFrom(answer.ToByteString()), context.CancellationToken).ConfigureAwait(false);
        }
    }

    private ReflectionResponder CreateResponder()
    {
        var (index, names) = _catalog.Value;
        return new ReflectionResponder(index, names);
    }
}
