using Grpc.Core;
using Inference;

namespace Mnist.Inference.Grpc.OpenInference;

/// <summary>inference.GRPCInferenceService, the Open Inference Protocol's gRPC service, on the gRPC port.</summary>
public sealed class OpenInferenceService(OpenInferenceHandler handler) : GRPCInferenceService.GRPCInferenceServiceBase
{
    /// <summary>Live whenever the process answers: liveness is about the process, readiness about the model.</summary>
    public override Task<ServerLiveResponse> ServerLive(ServerLiveRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerLiveResponse { Live = true });

    public override Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerReadyResponse { Ready = handler.ServerReady });

    public override Task<ModelReadyResponse> ModelReady(ModelReadyRequest request, ServerCallContext context) =>
        Task.FromResult(new ModelReadyResponse { Ready = handler.ModelReady(request.Name, request.Version) });

    public override Task<ServerMetadataResponse> ServerMetadata(ServerMetadataRequest request, ServerCallContext context) =>
        Task.FromResult(OpenInferenceHandler.ServerMetadata());

    public override Task<ModelMetadataResponse> ModelMetadata(ModelMetadataRequest request, ServerCallContext context) =>
        Task.FromResult(handler.ModelMetadata(request.Name, request.Version));

    public override Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context) =>
        handler.InferAsync(request, context.CancellationToken);
}
