using System.Runtime.Intrinsics;
using Mnist.Model.Network;

namespace Mnist.Model.Optimizers;

/// <summary>
/// Adadelta exactly as torch.optim.Adadelta (weight_decay 0), operation for operation in float:
/// square_avg = square_avg*rho + (1-rho)*g*g; std = sqrt(square_avg + eps); delta = sqrt(acc_delta + eps) / std * g;
/// acc_delta = acc_delta*rho + (1-rho)*delta*delta; p += -lr*delta.
/// </summary>
public sealed class Adadelta : IOptimizer
{
    private readonly Parameter[] _parameters;
    private readonly float[][] _squareAverages;
    private readonly float[][] _accumulatedDeltas;
    private readonly float _rho;
    private readonly float _oneMinusRho;
    private readonly float _epsilon;
    private readonly Action<int> _stepSlice;
    private readonly int _slices = Environment.ProcessorCount;

    /// <param name="parameters">The parameters to update; their gradients are read at each <see cref="Step"/>.</param>
    /// <param name="learningRate">PyTorch's lr (default 1.0).</param>
    /// <param name="rho">Decay of the running averages, in [0, 1] (default 0.9).</param>
    /// <param name="epsilon">Added inside the square roots, non-negative (default 1e-6).</param>
    public Adadelta(IReadOnlyList<Parameter> parameters, float learningRate = 1f, float rho = 0.9f, float epsilon = 1e-6f)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(learningRate >= 0f) || !float.IsFinite(learningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be finite and non-negative.");
        }

        if (!(rho >= 0f && rho <= 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(rho), rho, "rho must be in [0, 1].");
        }

        if (!(epsilon >= 0f) || !float.IsFinite(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be finite and non-negative.");
        }

        _parameters = [.. parameters];
        _squareAverages = Array.ConvertAll(_parameters, p => new float[p.Value.Length]);
        _accumulatedDeltas = Array.ConvertAll(_parameters, p => new float[p.Value.Length]);
        LearningRate = learningRate;
        _rho = rho;
        _oneMinusRho = (float)(1.0 - HyperParameter.AsWritten(rho));
        _epsilon = epsilon;
        _stepSlice = StepSlice;
    }

    /// <inheritdoc/>
    public float LearningRate { get; set; }

    /// <inheritdoc/>
    public void Step() => Parallel.For(0, _slices, _stepSlice);

    /// <inheritdoc/>
    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            Array.Clear(parameter.Grad);
        }
    }

    private void StepSlice(int slice)
    {
        for (var i = 0; i < _parameters.Length; i++)
        {
            var length = _parameters[i].Value.Length;
            var start = (int)((long)length * slice / _slices);
            var end = (int)((long)length * (slice + 1) / _slices);
            Update(
                _parameters[i].Value.AsSpan(start, end - start),
                _parameters[i].Grad.AsSpan(start, end - start),
                _squareAverages[i].AsSpan(start, end - start),
                _accumulatedDeltas[i].AsSpan(start, end - start));
        }
    }

    // Same operation order as PyTorch's single-tensor path; addcmul computes a + (value*t1)*t2.
    private void Update(Span<float> value, ReadOnlySpan<float> grad, Span<float> squareAverage, Span<float> accumulatedDelta)
    {
        float rho = _rho, c = _oneMinusRho, eps = _epsilon, minusLr = -LearningRate;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vRho = Vector256.Create(rho);
            var vC = Vector256.Create(c);
            var vEps = Vector256.Create(eps);
            var vMinusLr = Vector256.Create(minusLr);
            for (; i <= value.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var g = Vector256.Create(grad.Slice(i, 8));
                var sa = (Vector256.Create(squareAverage.Slice(i, 8)) * vRho) + (vC * g * g);
                var std = Vector256.Sqrt(sa + vEps);
                var ad = Vector256.Create(accumulatedDelta.Slice(i, 8));
                var delta = Vector256.Sqrt(ad + vEps) / std * g;
                ad = (ad * vRho) + (vC * delta * delta);
                var p = Vector256.Create(value.Slice(i, 8)) + (vMinusLr * delta);
                sa.CopyTo(squareAverage.Slice(i, 8));
                ad.CopyTo(accumulatedDelta.Slice(i, 8));
                p.CopyTo(value.Slice(i, 8));
            }
        }

        for (; i < value.Length; i++)
        {
            var g = grad[i];
            var sa = (squareAverage[i] * rho) + (c * g * g);
            var std = MathF.Sqrt(sa + eps);
            var delta = MathF.Sqrt(accumulatedDelta[i] + eps) / std * g;
            accumulatedDelta[i] = (accumulatedDelta[i] * rho) + (c * delta * delta);
            squareAverage[i] = sa;
            value[i] += minusLr * delta;
        }
    }
}
