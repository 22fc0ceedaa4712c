namespace Mnist.Grpc.Transcoding;

/// <summary>
/// One segment of a flattened path template: a variable's own segments appear inline, each pointing back at
/// its <see cref="Variable"/>.
/// </summary>
/// <param name="Kind">What the segment matches.</param>
/// <param name="Literal">The text of a <see cref="PathSegmentKind.Literal"/> segment; empty otherwise.</param>
/// <param name="Variable">The variable this segment belongs to, or null.</param>
public sealed record PathSegment(PathSegmentKind Kind, string Literal, PathVariable? Variable)
{
    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        PathSegmentKind.Wildcard => "*",
        PathSegmentKind.Rest => "**",
        _ => Literal,
    };
}
