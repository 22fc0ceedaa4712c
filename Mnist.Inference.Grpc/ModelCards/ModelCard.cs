using Mnist.V1;

namespace Mnist.Inference.Grpc.ModelCards;

/// <summary>The card of one loaded model, read with it: the GetModel answer and the plots' PNG bytes by file name.</summary>
public sealed class ModelCard(ModelInfo info, IReadOnlyDictionary<string, byte[]> plots)
{
    /// <summary>The GetModel answer; shared by every call, never changed after reading.</summary>
    public ModelInfo Info { get; } = info;

    public IReadOnlyDictionary<string, byte[]> Plots { get; } = plots;
}
