using Google.Api;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Routing.Patterns;
using Mnist.Grpc.Server;

namespace Mnist.Grpc.Transcoding;

/// <summary>
/// One HttpRule (or additional binding) of a unary method, resolved against the descriptors: the HTTP verb,
/// the template, which request fields the path and body bind, and the route pattern endpoint routing matches.
/// </summary>
internal sealed class TranscodedRoute
{
    private const string ParameterPrefix = "__s";

    private TranscodedRoute(GrpcUnaryMethod method, string? httpMethod, HttpPathTemplate template, string body, string responseBody)
    {
        Method = method;
        HttpMethod = httpMethod;
        Template = template;
        var input = method.Descriptor.InputType;
        var usage = $"google.api.http of {method.Path} ('{template.Text}')";
        PathFields = [.. template.Variables.Select(v => ResolvePathField(input, v, usage))];
        BodyField = body is "" or "*" ? null : RequestFieldPath.Resolve(input, [body], usage + " body");
        HasBody = body != "";
        BodyIsWholeRequest = body == "*";
        ResponseBodyField = responseBody == "" ? null
            : method.Descriptor.OutputType.FindFieldByName(responseBody)
              ?? throw new InvalidOperationException($"{usage}: response_body names no field of {method.Descriptor.OutputType.FullName}: '{responseBody}'.");
        Pattern = BuildPattern(template);
    }

    public GrpcUnaryMethod Method { get; }

    /// <summary>GET, POST, ... or null when any method matches (custom kind <c>*</c>).</summary>
    public string? HttpMethod { get; }

    public HttpPathTemplate Template { get; }

    /// <summary>The field each template variable binds, in <see cref="HttpPathTemplate.Variables"/> order.</summary>
    public IReadOnlyList<RequestFieldPath> PathFields { get; }

    public bool HasBody { get; }

    /// <summary><c>body: "*"</c>: the JSON body is the request; query parameters are not bound.</summary>
    public bool BodyIsWholeRequest { get; }

    /// <summary><c>body: "field"</c>: the JSON body is that top-level field.</summary>
    public RequestFieldPath? BodyField { get; }

    public FieldDescriptor? ResponseBodyField { get; }

    public RoutePattern Pattern { get; }

    /// <summary>The routes of a method: its HttpRule and the rule's additional bindings; none without the option.</summary>
    public static IEnumerable<TranscodedRoute> For(GrpcUnaryMethod method)
    {
        var rule = method.Descriptor.GetOptions()?.GetExtension(AnnotationsExtensions.Http);
        if (rule is null)
        {
            yield break;
        }

        yield return From(method, rule);
        foreach (var additional in rule.AdditionalBindings)
        {
            yield return From(method, additional);
        }
    }

    /// <summary>The route value name endpoint routing uses for template segment <paramref name="index"/>.</summary>
    public static string ParameterName(int index) => ParameterPrefix + index;

    private static TranscodedRoute From(GrpcUnaryMethod method, HttpRule rule)
    {
        var (httpMethod, path) = rule.PatternCase switch
        {
            HttpRule.PatternOneofCase.Get => ("GET", rule.Get),
            HttpRule.PatternOneofCase.Put => ("PUT", rule.Put),
            HttpRule.PatternOneofCase.Post => ("POST", rule.Post),
            HttpRule.PatternOneofCase.Delete => ("DELETE", rule.Delete),
            HttpRule.PatternOneofCase.Patch => ("PATCH", rule.Patch),
            HttpRule.PatternOneofCase.Custom => (rule.Custom.Kind == "*" ? null : rule.Custom.Kind, rule.Custom.Path),
            _ => throw new InvalidOperationException($"google.api.http of {method.Path} sets no pattern (get, put, post, delete, patch or custom)."),
        };

        HttpPathTemplate template;
        try
        {
            template = HttpPathTemplate.Parse(path);
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"google.api.http of {method.Path}: {e.Message}", e);
        }

        return new TranscodedRoute(method, httpMethod, template, rule.Body, rule.ResponseBody);
    }

    private static RequestFieldPath ResolvePathField(MessageDescriptor input, PathVariable variable, string usage)
    {
        var path = RequestFieldPath.Resolve(input, variable.FieldPath, usage);
        if (path.Leaf.IsRepeated || !RequestFieldWriter.IsSettableFromText(path.Leaf))
        {
            throw new InvalidOperationException($"{usage}: path variable '{variable.Name}' must bind a non-repeated scalar, string, bytes or enum field.");
        }

        return path;
    }

    private static RoutePattern BuildPattern(HttpPathTemplate template)
    {
        var segments = new List<RoutePatternPathSegment>();
        for (var i = 0; i < template.Segments.Count; i++)
        {
            var segment = template.Segments[i];
            var verb = i == template.Segments.Count - 1 && template.Verb is { } v ? ":" + v : null;
            segments.Add(segment.Kind switch
            {
                PathSegmentKind.Literal => RoutePatternFactory.Segment(RoutePatternFactory.LiteralPart(segment.Literal + verb)),
                PathSegmentKind.Wildcard when verb is not null => RoutePatternFactory.Segment(
                    RoutePatternFactory.ParameterPart(ParameterName(i)), RoutePatternFactory.LiteralPart(verb)),
                PathSegmentKind.Wildcard => RoutePatternFactory.Segment(RoutePatternFactory.ParameterPart(ParameterName(i))),
                // A catch-all cannot carry a literal suffix; the handler checks the verb of '**' templates.
                _ => RoutePatternFactory.Segment(RoutePatternFactory.ParameterPart(ParameterName(i), null, RoutePatternParameterKind.CatchAll)),
            });
        }

        return RoutePatternFactory.Pattern(template.Text, segments);
    }
}
