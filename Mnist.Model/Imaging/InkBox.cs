namespace Mnist.Model.Imaging;

/// <summary>The bounding box of a digit's ink, in source pixels.</summary>
internal readonly record struct InkBox(int Left, int Top, int Width, int Height);
