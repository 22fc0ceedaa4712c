namespace Mnist.Model.Data;

/// <summary>The content of one IDX file: item count, per-item dimensions and the raw uint8 items.</summary>
internal sealed record IdxFile(MnistDataFile Source, int Count, int[] ItemShape, byte[] Data);
