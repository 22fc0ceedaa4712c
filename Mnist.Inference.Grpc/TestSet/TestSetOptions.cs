namespace Mnist.Inference.Grpc.TestSet;

/// <summary>Where the MNIST test set (t10k files) is; defaults to the copy shipped beside the server.</summary>
public sealed class TestSetOptions
{
    [ConfigurationKeyName("DATA_DIR")]
    public string DataDir { get; set; } = Path.Combine(AppContext.BaseDirectory, "data", "mnist");
}
