using System.Diagnostics;

namespace Mnist.Inference.Grpc.Observability;

/// <summary>
/// The names under which the server's own telemetry is published, and its one <see cref="ActivitySource"/>
/// (spans have no factory: a static source is how .NET libraries publish them).
/// </summary>
public static class MnistTelemetry
{
    /// <summary>The meter of <see cref="InferenceMetrics"/> and the activity source of the spans below.</summary>
    public const string Name = "Mnist.Inference";

    /// <summary>The span of one image's decoding and preparation (ImageSharp, then the MNIST-style crop and centring).</summary>
    public const string ImageDecodeSpan = "mnist.image.decode";

    /// <summary>The span of one batch: gathering the calls' pixels, the forward pass, answering each call.</summary>
    public const string BatchSpan = "mnist.batch";

    /// <summary>The forward pass of one batch, inside <see cref="BatchSpan"/>.</summary>
    public const string InferenceSpan = "mnist.inference";

    /// <summary>On a call's span: the batch it joined; on a batch's span: its own id.</summary>
    public const string BatchIdTag = "mnist.batch.id";

    /// <summary>How many images the batch held.</summary>
    public const string BatchSizeTag = "mnist.batch.size";

    public static readonly ActivitySource Source = new(Name);
}
