namespace Mnist.Inference.Grpc.OpenInference;

/// <summary>
/// A checked inference request: <see cref="Count"/> images as 28x28 pixels (from <c>input</c>) or as encoded files (from
/// <c>image</c>), the outputs to give in their order, and whether to give them as raw contents.
/// </summary>
internal sealed record InferBatch(int Count, byte[]? Pixels, ReadOnlyMemory<byte>[]? Images, IReadOnlyList<string> Outputs, bool RawOutput);
