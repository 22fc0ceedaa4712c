using Microsoft.AspNetCore.Routing;

namespace Mnist.Grpc.Transcoding;

/// <summary>Rebuilds each template variable's value from the route values endpoint routing matched.</summary>
internal static class PathValues
{
    /// <summary>
    /// The value per variable, or null when the path does not really match (a <c>**</c> template whose
    /// custom verb is missing).
    /// </summary>
    public static string[]? Extract(HttpPathTemplate template, RouteValueDictionary routeValues)
    {
        var segments = new string[template.Segments.Count];
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = template.Segments[i];
            segments[i] = segment.Kind == PathSegmentKind.Literal
                ? segment.Literal
                : routeValues.TryGetValue(TranscodedRoute.ParameterName(i), out var value) ? value?.ToString() ?? "" : "";
        }

        if (template.Verb is { } verb && template.Segments[^1].Kind == PathSegmentKind.Rest)
        {
            var suffix = ":" + verb;
            if (!segments[^1].EndsWith(suffix, StringComparison.Ordinal))
            {
                return null;
            }

            segments[^1] = segments[^1][..^suffix.Length];
        }

        var values = new string[template.Variables.Count];
        for (var v = 0; v < values.Length; v++)
        {
            var variable = template.Variables[v];
            var parts = segments.AsSpan(variable.FirstSegment, variable.SegmentCount).ToArray().Where(p => p.Length > 0);
            var joined = string.Join('/', parts);
            // Kestrel decodes the path except %2F; a single segment is fully decoded, a multi-segment value keeps it.
            values[v] = variable.IsMultiSegment ? joined : joined.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        }

        return values;
    }
}
