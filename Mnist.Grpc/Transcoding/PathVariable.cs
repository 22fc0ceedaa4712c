namespace Mnist.Grpc.Transcoding;

/// <summary>A <c>{field.path=segments}</c> capture of an <see cref="HttpPathTemplate"/>.</summary>
/// <param name="FieldPath">The request field it binds, split at dots (<c>a.b</c> is <c>["a", "b"]</c>).</param>
/// <param name="FirstSegment">Index of its first segment in <see cref="HttpPathTemplate.Segments"/>.</param>
/// <param name="SegmentCount">How many template segments it spans (1 for <c>{id}</c>).</param>
public sealed record PathVariable(IReadOnlyList<string> FieldPath, int FirstSegment, int SegmentCount)
{
    /// <summary>The field path as written, e.g. <c>shelf.name</c>.</summary>
    public string Name => string.Join('.', FieldPath);

    /// <summary>
    /// Whether the value can span several path segments (<c>{name=shelves/*}</c>); such values keep
    /// <c>%2F</c> encoded, single-segment values are fully decoded.
    /// </summary>
    public bool IsMultiSegment { get; init; }
}
