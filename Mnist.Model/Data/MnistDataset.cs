namespace Mnist.Model.Data;

/// <summary>
/// MNIST images (28x28 uint8, 0 = background, 255 = ink) with their labels 0-9, loaded from the four
/// standard IDX files (gzip-compressed or not).
/// </summary>
public sealed class MnistDataset
{
    private MnistDataset(byte[] images, byte[] labels, IReadOnlyList<MnistDataFile> files)
    {
        Images = images;
        Labels = labels;
        Files = files;
    }

    /// <summary>Count x 784 pixels, image after image.</summary>
    public byte[] Images { get; }

    /// <summary>Count labels, each 0-9.</summary>
    public byte[] Labels { get; }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>The files read, with their checksums (a subset made by <see cref="Take"/> keeps its source files).</summary>
    public IReadOnlyList<MnistDataFile> Files { get; }

    /// <summary>Loads the 60,000 training images from <paramref name="directory"/>.</summary>
    /// <exception cref="MnistDataException">A file is missing, truncated or invalid.</exception>
    public static MnistDataset LoadTrain(string directory) =>
        Load(Locate(directory, "train-images-idx3-ubyte"), Locate(directory, "train-labels-idx1-ubyte"));

    /// <summary>Loads the 10,000 test images from <paramref name="directory"/>.</summary>
    /// <exception cref="MnistDataException">A file is missing, truncated or invalid.</exception>
    public static MnistDataset LoadTest(string directory) =>
        Load(Locate(directory, "t10k-images-idx3-ubyte"), Locate(directory, "t10k-labels-idx1-ubyte"));

    /// <summary>Loads an images file and its labels file; their counts must match.</summary>
    /// <exception cref="MnistDataException">A file is missing, truncated or invalid.</exception>
    public static MnistDataset Load(string imagesPath, string labelsPath)
    {
        var images = IdxReader.Read(imagesPath, IdxReader.ImagesMagic, [MnistShape.ImageSide, MnistShape.ImageSide], "images");
        var labels = IdxReader.Read(labelsPath, IdxReader.LabelsMagic, [], "labels");
        if (images.Count != labels.Count)
        {
            throw new MnistDataException(
                $"The MNIST images file {imagesPath} holds {images.Count} images but the labels file {labelsPath} holds {labels.Count} labels.",
                labelsPath);
        }

        var bad = Array.FindIndex(labels.Data, label => label > 9);
        if (bad >= 0)
        {
            throw new MnistDataException(
                $"The MNIST labels file {labelsPath} is invalid: label {labels.Data[bad]} at index {bad} is not a digit 0-9.", labelsPath);
        }

        return new MnistDataset(images.Data, labels.Data, [images.Source, labels.Source]);
    }

    /// <summary>Pixels of image <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Image(int index) => Images.AsSpan(index * MnistShape.PixelCount, MnistShape.PixelCount);

    /// <summary>The first <paramref name="count"/> images (all of them if there are fewer).</summary>
    public MnistDataset Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count >= Count)
        {
            return this;
        }

        return new MnistDataset(Images[..(count * MnistShape.PixelCount)], Labels[..count], Files);
    }

    private static string Locate(string directory, string name)
    {
        var gz = Path.Combine(directory, name + ".gz");
        if (File.Exists(gz))
        {
            return gz;
        }

        var plain = Path.Combine(directory, name);
        if (File.Exists(plain))
        {
            return plain;
        }

        var where = Directory.Exists(directory) ? $"in {directory}" : $"because the directory {directory} does not exist";
        throw new MnistDataException($"The MNIST file {name}.gz (or uncompressed {name}) was not found {where}.", gz);
    }
}
