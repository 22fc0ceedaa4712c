namespace Mnist.Model.Network;

/// <summary>Where a training forward pass draws its dropout masks: image <c>FirstImage + i</c> of step <c>Step</c>.</summary>
internal readonly record struct DropoutStream(long Seed, long Step, int FirstImage);
