namespace Mnist.Training.Progress;

/// <summary>Receives training progress; implementations render it for a terminal or for a log.</summary>
internal interface ITrainingObserver
{
    void EpochStarted(int epoch, int epochs, int images, float learningRate);

    void BatchCompleted(int imagesDone, float loss);

    void EpochCompleted(int epoch, float meanLoss, TimeSpan elapsed);

    void Status(string message);
}
