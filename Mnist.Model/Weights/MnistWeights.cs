using Mnist.Model.Network;

namespace Mnist.Model.Weights;

/// <summary>
/// Saves and loads the <see cref="MnistNet"/> weights as a TorchSharp state-dict file, byte-for-byte what
/// TorchSharp's <c>Module.save</c> writes for the same network. Loading is all-or-nothing: the whole file is
/// parsed and checked before any parameter is touched.
/// </summary>
public static class MnistWeights
{
    private const string ModelName = "MNIST CNN (conv1, conv2, fc1, fc2 as float32)";

    /// <summary>Size of every MNIST CNN weights file.</summary>
    public const long FileLength = 4_799_653;

    /// <summary>Writes the weights of <paramref name="net"/> to <paramref name="stream"/>.</summary>
    public static void Save(MnistNet net, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(stream);
        var writer = new StateDictWriter(stream, net.Parameters.Count);
        foreach (var parameter in net.Parameters)
        {
            writer.WriteFloat32(parameter.Name, parameter.Shape, parameter.Value);
        }
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

    /// <summary>Reads a weights file into a new network.</summary>
    /// <exception cref="InvalidWeightsFileException">The stream is not a readable state dict.</exception>
    /// <exception cref="WeightsMismatchException">A valid state dict, but not for this network.</exception>
    public static MnistNet Load(Stream stream)
    {
        var net = MnistNet.CreateZeroed();
        LoadInto(net, stream);
        return net;
    }

    /// <summary>Reads the weights file at <paramref name="path"/> into a new network.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidWeightsFileException">The file is not a readable state dict.</exception>
    /// <exception cref="WeightsMismatchException">A valid state dict, but not for this network.</exception>
    public static MnistNet Load(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        return Load(stream);
    }

    /// <summary>Reads a weights file into <paramref name="target"/>; on any error <paramref name="target"/> is unchanged.</summary>
    /// <exception cref="InvalidWeightsFileException">The stream is not a readable state dict.</exception>
    /// <exception cref="WeightsMismatchException">A valid state dict, but not for this network.</exception>
    public static void LoadInto(MnistNet target, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(target);
        var entries = StateDictReader.Read(stream);
        var byName = StateDictValidator.Validate(entries, MnistNet.ParameterShapes, ModelName);
        foreach (var parameter in target.Parameters)
        {
            byName[parameter.Name].CopyFloatsTo(parameter.Value);
        }
    }
}
