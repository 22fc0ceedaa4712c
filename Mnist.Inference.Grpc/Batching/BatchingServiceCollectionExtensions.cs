namespace Mnist.Inference.Grpc.Batching;

/// <summary>Registers the batcher once, as the service callers inject and as the hosted loop that runs it.</summary>
public static class BatchingServiceCollectionExtensions
{
    public static IServiceCollection AddMnistBatching(this IServiceCollection services)
    {
        services.AddSingleton<PredictionBatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<PredictionBatcher>());
        return services;
    }
}
