using Mnist.Model.Layers;

namespace Mnist.Model.Network;

/// <summary>The geometry of the fixed network's layers; parameters live in <see cref="MnistNet"/>.</summary>
internal static class MnistLayers
{
    public static readonly Conv2d Conv1 = new(1, 32, 3, MnistNet.ImageSide, MnistNet.ImageSide);      // -> 32x26x26
    public static readonly Conv2d Conv2 = new(32, 64, 3, 26, 26);                                     // -> 64x24x24
    public static readonly MaxPool2d Pool = new(64, 24, 24);                                          // -> 64x12x12
    public static readonly Dropout Dropout1 = new(0.25f);
    public static readonly Linear Fc1 = new(64 * 12 * 12, 128);
    public static readonly Dropout Dropout2 = new(0.5f);
    public static readonly Linear Fc2 = new(128, MnistNet.ClassCount);
    public static readonly LogSoftmax LogSoftmax = new(MnistNet.ClassCount);
    public static readonly NllLoss Loss = new(MnistNet.ClassCount);

    // Indices into MnistNet.Parameters (state-dict order).
    public const int Conv1Weight = 0, Conv1Bias = 1, Conv2Weight = 2, Conv2Bias = 3;
    public const int Fc1Weight = 4, Fc1Bias = 5, Fc2Weight = 6, Fc2Bias = 7;
}
