namespace Mnist.Grpc.Transcoding;

/// <summary>
/// A parsed <c>google.api.http</c> path template:
/// <c>Template = "/" Segments [":" Verb]</c>, segments being literals, <c>*</c>, <c>**</c> (last only) and
/// variables <c>{field.path}</c> or <c>{field.path=segments}</c>.
/// </summary>
public sealed class HttpPathTemplate
{
    internal HttpPathTemplate(string text, IReadOnlyList<PathSegment> segments, IReadOnlyList<PathVariable> variables, string? verb)
    {
        Text = text;
        Segments = segments;
        Variables = variables;
        Verb = verb;
    }

    /// <summary>The template as written in the proto.</summary>
    public string Text { get; }

    /// <summary>Every segment, variables flattened inline.</summary>
    public IReadOnlyList<PathSegment> Segments { get; }

    /// <summary>The variables, in template order.</summary>
    public IReadOnlyList<PathVariable> Variables { get; }

    /// <summary>The custom verb after the last <c>:</c> (e.g. <c>cancel</c>), or null.</summary>
    public string? Verb { get; }

    /// <summary>Parses <paramref name="template"/>; a <see cref="FormatException"/> names the position and what was expected.</summary>
    public static HttpPathTemplate Parse(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return new HttpPathTemplateParser(template).Parse();
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
