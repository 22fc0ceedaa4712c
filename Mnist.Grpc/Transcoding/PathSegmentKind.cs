namespace Mnist.Grpc.Transcoding;

/// <summary>What one segment of an <see cref="HttpPathTemplate"/> matches.</summary>
public enum PathSegmentKind
{
    /// <summary>Exactly its literal text.</summary>
    Literal,
    /// <summary><c>*</c>: any one non-empty segment.</summary>
    Wildcard,
    /// <summary><c>**</c>: zero or more segments; only at the end of a template.</summary>
    Rest,
}
