using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Mnist.Model.Network;

/// <summary>
/// The CNN of PyTorch's MNIST example: conv1 1->32 3x3, ReLU, conv2 32->64 3x3, ReLU, max-pool 2, dropout .25,
/// flatten, fc1 9216->128, ReLU, dropout .5, fc2 128->10, log-softmax. The submodules' names are the state-dict
/// names PyTorch uses (conv1.weight ... fc2.bias), so weights move between the two unchanged. The input is raw
/// pixels (0..255), normalised here, so callers never need to know the normalisation.
/// </summary>
public sealed class MnistNet : nn.Module<Tensor, Tensor>
{
    // Field names are component names: they become the state-dict names.
#pragma warning disable IDE1006, SA1300
    private readonly Conv2d conv1 = nn.Conv2d(1, 32, 3);
    private readonly Conv2d conv2 = nn.Conv2d(32, 64, 3);
    private readonly Linear fc1 = nn.Linear(9216, 128);
    private readonly Linear fc2 = nn.Linear(128, MnistShape.ClassCount);
#pragma warning restore IDE1006, SA1300

    /// <summary>
    /// A network with libtorch's default initialisation, drawn from the global generator: call
    /// <c>torch.manual_seed</c> first for a reproducible start.
    /// </summary>
    public MnistNet()
        : base(nameof(MnistNet)) => RegisterComponents();

    /// <summary>
    /// Lays the convolution weights out channels-last (NHWC strides, same values), as PyTorch's
    /// <c>model.to(memory_format=torch.channels_last)</c>: libtorch then runs both convolutions on oneDNN's NHWC
    /// kernels, which infer faster than on NCHW (docs/performance.md). A training step is slower in this layout (also
    /// measured there), and TorchSharp saves only contiguous tensors, so only the predictor does it, to a network it owns.
    /// </summary>
    public void ToChannelsLast()
    {
        using var noGrad = no_grad();
        foreach (var weight in new[] { conv1.weight!, conv2.weight! })
        {
            using var nhwc = weight.permute(0, 2, 3, 1).contiguous();
            using var strided = nhwc.permute(0, 3, 1, 2);
            weight.set_(strided);
        }
    }

    /// <summary>(N, 784) or (N, 1, 28, 28) pixels of any real or byte dtype, 0 = background, 255 = ink -> (N, 10) log-probabilities.</summary>
    public override Tensor forward(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        var x = MnistNormalization.Normalize(pixels).view(-1, 1, MnistShape.ImageSide, MnistShape.ImageSide);
        // In place: no layer's backward needs its output before the ReLU, and a forward allocates half as much.
        x = nn.functional.relu(conv1.forward(x), inplace: true);
        x = nn.functional.relu(conv2.forward(x), inplace: true);
        x = nn.functional.max_pool2d(x, 2);
        x = nn.functional.dropout(x, 0.25, training);
        x = nn.functional.relu(fc1.forward(x.flatten(1)), inplace: true);
        x = nn.functional.dropout(x, 0.5, training);
        return nn.functional.log_softmax(fc2.forward(x), 1).MoveToOuterDisposeScope();
    }
}
