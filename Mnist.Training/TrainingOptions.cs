namespace Mnist.Training;

/// <summary>Everything one training run needs, validated by <see cref="TrainerCommand"/> at parse time.</summary>
/// <param name="DataDirectory">Folder with the four MNIST IDX files (gzip or plain).</param>
/// <param name="ModelDirectory">Folder that receives model.dat and model.json.</param>
/// <param name="Epochs">Passes over the training set.</param>
/// <param name="BatchSize">Images per optimizer step.</param>
/// <param name="LearningRate">Adadelta's initial learning rate.</param>
/// <param name="Gamma">StepLR decay per epoch.</param>
/// <param name="Seed">Drives initialisation, shuffling and dropout.</param>
/// <param name="Threads">Cores libtorch may use at once.</param>
/// <param name="Limit">Use only the first N training images (null: all).</param>
internal sealed record TrainingOptions(
    string DataDirectory,
    string ModelDirectory,
    int Epochs = 1,
    int BatchSize = 64,
    float LearningRate = 1f,
    float Gamma = 0.7f,
    int Seed = 1,
    int Threads = 1,
    int? Limit = null);
