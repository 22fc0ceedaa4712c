namespace Mnist.Tests;

/// <summary>One span as an OTLP collector received it: ids in hex, attributes as strings, links as (trace, span) ids.</summary>
internal sealed record OtlpSpan(
    string Scope,
    string Name,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<(string TraceId, string SpanId)> Links);
