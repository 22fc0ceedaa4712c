namespace Mnist.Model.Optimizers;

/// <summary>
/// PyTorch's StepLR: after every <c>stepSize</c> calls to <see cref="Step"/> (one per epoch) the learning
/// rate is multiplied by gamma, so lr = lr0 * gamma^(epoch / stepSize). Kept in double as PyTorch does.
/// </summary>
public sealed class StepLearningRate
{
    private readonly IOptimizer _optimizer;
    private readonly int _stepSize;
    private readonly double _gamma;
    private double _learningRate;
    private int _epoch;

    /// <param name="optimizer">The optimizer whose learning rate is scheduled; its current rate is lr0.</param>
    /// <param name="stepSize">Epochs between decays, at least 1.</param>
    /// <param name="gamma">The decay factor, finite and positive.</param>
    public StepLearningRate(IOptimizer optimizer, int stepSize = 1, float gamma = 0.7f)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
        if (!(gamma > 0f) || !float.IsFinite(gamma))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be finite and positive.");
        }

        _optimizer = optimizer;
        _stepSize = stepSize;
        _gamma = HyperParameter.AsWritten(gamma);
        _learningRate = HyperParameter.AsWritten(optimizer.LearningRate);
    }

    /// <summary>Epochs completed so far.</summary>
    public int Epoch => _epoch;

    /// <summary>Marks the end of an epoch and decays the learning rate when a step boundary is reached.</summary>
    public void Step()
    {
        _epoch++;
        if (_epoch % _stepSize == 0)
        {
            _learningRate *= _gamma;
            _optimizer.LearningRate = (float)_learningRate;
        }
    }
}
