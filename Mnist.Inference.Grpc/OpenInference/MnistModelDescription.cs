using Mnist.Model;
using Inference;
using Mnist.Model.Network;

namespace Mnist.Inference.Grpc.OpenInference;

/// <summary>
/// The one model this server offers under the Open Inference Protocol, as its metadata describes it: named
/// <c>mnist</c>, taking <c>input</c> (pixels) or <c>image</c> (encoded files), giving <c>probabilities</c> and <c>digit</c>.
/// </summary>
internal static class MnistModelDescription
{
    public const string Name = "mnist";

    /// <summary>The network runs in TorchSharp on libtorch: <c>&lt;project&gt;_&lt;format&gt;</c> as the protocol's platform names are.</summary>
    public const string Platform = "torchsharp_libtorch";

    public const string PixelsInput = "input";
    public const string ImageInput = "image";
    public const string ProbabilitiesOutput = "probabilities";
    public const string DigitOutput = "digit";

    /// <summary>
    /// Most images in one request. Its arithmetic: 1,024 FP32 images are 1,024 x 784 x 4 = 3,211,264 bytes of tensor
    /// data, under gRPC's 4 MiB (4,194,304-byte) message limit with room for the message around them; UINT8 images
    /// take a quarter of that. Encoded files share the same 4 MiB, so their count is bound by their size first.
    /// </summary>
    public const int MaxBatchSize = 1024;

    /// <summary>The metadata of the model, at the served <paramref name="version"/>.</summary>
    public static ModelMetadataResponse Metadata(string version)
    {
        var metadata = new ModelMetadataResponse { Name = Name, Platform = Platform };
        metadata.Versions.Add(version);
        metadata.Inputs.Add(Tensor(PixelsInput, TensorDataTypes.Fp32, -1, 1, MnistShape.ImageSide, MnistShape.ImageSide));
        metadata.Inputs.Add(Tensor(ImageInput, TensorDataTypes.Bytes, -1));
        metadata.Outputs.Add(Tensor(ProbabilitiesOutput, TensorDataTypes.Fp32, -1, MnistShape.ClassCount));
        metadata.Outputs.Add(Tensor(DigitOutput, TensorDataTypes.Int64, -1));
        metadata.Properties.Add("input_datatypes", $"{TensorDataTypes.Fp32},{TensorDataTypes.Uint8}");
        metadata.Properties.Add("input_shapes", $"[-1,1,{MnistShape.ImageSide},{MnistShape.ImageSide}],[-1,{MnistShape.ImageSide},{MnistShape.ImageSide}],[-1,{MnistShape.PixelCount}]");
        metadata.Properties.Add("max_batch_size", MaxBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return metadata;
    }

    private static ModelMetadataResponse.Types.TensorMetadata Tensor(string name, string datatype, params long[] shape)
    {
        var tensor = new ModelMetadataResponse.Types.TensorMetadata { Name = name, Datatype = datatype };
        tensor.Shape.Add(shape);
        return tensor;
    }
}
