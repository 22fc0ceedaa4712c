using Mnist.Training.Progress;

namespace Mnist.Tests;

/// <summary>Training progress nobody watches: for tests that train a model as a fixture.</summary>
internal sealed class SilentTrainingObserver : ITrainingObserver
{
    public void EpochStarted(int epoch, int epochs, int images, float learningRate)
    {
    }

    public void BatchCompleted(int imagesDone, float loss)
    {
    }

    public void EpochCompleted(int epoch, float meanLoss, TimeSpan elapsed)
    {
    }

    public void Status(string message)
    {
    }
}
