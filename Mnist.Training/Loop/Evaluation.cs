using Mnist.Model.Volume;
namespace Mnist.Training.Loop;

/// <summary>Test-set results: mean NLL loss and accuracy over <paramref name="Images"/> images, per class too.</summary>
/// <param name="ClassAccuracy">Accuracy on the images of each digit 0-9.</param>
/// <param name="Confusion">Confusion[label][predicted]: how many images of each digit were read as each digit.</param>
/// <param name="MostConfused">The misread images read with the highest confidence, most confident first.</param>
internal sealed record Evaluation(
    double Loss, double Accuracy, int Correct, int Images, double[] ClassAccuracy, int[][] Confusion, IReadOnlyList<ConfusedSample> MostConfused);
