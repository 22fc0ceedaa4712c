namespace Mnist.Model.Optimizers;

/// <summary>Updates parameters from their accumulated gradients.</summary>
public interface IOptimizer
{
    /// <summary>The step size; a scheduler such as <see cref="StepLearningRate"/> changes it between epochs.</summary>
    float LearningRate { get; set; }

    /// <summary>Applies one update from the current gradients.</summary>
    void Step();

    /// <summary>Sets every gradient to zero.</summary>
    void ZeroGrad();
}
