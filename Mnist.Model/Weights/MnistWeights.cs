using Mnist.Model.Network;

namespace Mnist.Model.Weights;

/// <summary>
/// model.dat: the <see cref="MnistNet"/> weights in TorchSharp's own state-dict format (<c>Module.save</c> /
/// strict <c>Module.load</c>), the format PyTorch users write with TorchSharp's exportsd.py. Loading is
/// all-or-nothing: the file is read into a fresh network, which is handed out only if every check passed.
/// </summary>
public static class MnistWeights
{
    /// <summary>Size of every MNIST CNN weights file: 1,199,882 float32 values plus 125 bytes of names and shapes.</summary>
    public const long FileLength = 4_799_653;

    /// <summary>Writes the weights of <paramref name="net"/> to <paramref name="stream"/>.</summary>
    public static void Save(MnistNet net, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(stream);
        // Our writer leaves the stream open: AtomicFile still flushes it to disk afterwards.
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        net.save(writer);
        writer.Flush();
    }

    /// <summary>Writes the weights of <paramref name="net"/> to <paramref name="path"/>, replacing it atomically.</summary>
    public static void Save(MnistNet net, string path) => AtomicFile.Write(path, stream => Save(net, stream));

    /// <summary>The weights file content for <paramref name="net"/>.</summary>
    public static byte[] Serialize(MnistNet net)
    {
        using var stream = new MemoryStream((int)FileLength);
        Save(net, stream);
        return stream.ToArray();
    }

    /// <summary>Reads weights file content into a new network (in training mode, like a new module).</summary>
    /// <exception cref="InvalidWeightsFileException">Not a readable state dict: empty, truncated, corrupt, another format.</exception>
    /// <exception cref="WeightsMismatchException">A valid state dict, but not for this network.</exception>
    public static MnistNet Load(ReadOnlyMemory<byte> content) => WeightsFileLoader.Load(content);

    /// <summary>Reads a weights file from <paramref name="stream"/> (to its end) into a new network.</summary>
    /// <exception cref="InvalidWeightsFileException">Not a readable state dict.</exception>
    /// <exception cref="WeightsMismatchException">A valid state dict, but not for this network.</exception>
    public static MnistNet Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Load(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    /// <summary>Reads the weights file at <paramref name="path"/> into a new network.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidWeightsFileException">The file is not a readable state dict.</exception>
    /// <exception cref="WeightsMismatchException">A valid state dict, but not for this network.</exception>
    public static MnistNet Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The weights file {path} does not exist.", path);
        }

        return Load(File.ReadAllBytes(path));
    }
}
