using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Google.Protobuf;

namespace Mnist.Tests;

/// <summary>
/// A tiny OTLP/HTTP trace collector on 127.0.0.1: answers every POST with 200 and decodes the protobuf
/// ExportTraceServiceRequest it carries, by field number (resource_spans 1 > scope_spans 2 > scope 1 / spans 2).
/// </summary>
internal sealed class OtlpTraceCollector : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<OtlpSpan> _spans = new();
    private readonly ConcurrentQueue<string> _paths = new();
    private readonly Task _loop;

    public OtlpTraceCollector()
    {
        var port = FreePort();
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; }

    public IReadOnlyCollection<OtlpSpan> Spans => _spans;

    /// <summary>The request paths the exporter posted to.</summary>
    public IReadOnlyCollection<string> Paths => _paths;

    public void Dispose()
    {
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            _paths.Enqueue(context.Request.Url!.AbsolutePath);
            foreach (var span in ReadRequest(new CodedInputStream(body.ToArray())))
            {
                _spans.Enqueue(span);
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    private static List<OtlpSpan> ReadRequest(CodedInputStream input) =>
        Messages(input, 1).SelectMany(resource => Messages(resource, 2)).SelectMany(ReadScopeSpans).ToList();

    private static List<OtlpSpan> ReadScopeSpans(CodedInputStream scopeSpans)
    {
        var scope = "";
        var spans = new List<OtlpSpan>();
        uint tag;
        while ((tag = scopeSpans.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    scope = ReadStringField(new CodedInputStream(scopeSpans.ReadBytes().ToByteArray()), 1);
                    break;
                case 2:
                    spans.Add(ReadSpan(new CodedInputStream(scopeSpans.ReadBytes().ToByteArray()), scope));
                    break;
                default:
                    scopeSpans.SkipLastField();
                    break;
            }
        }

        return spans;
    }

    // Span: trace_id 1, span_id 2, parent_span_id 4, name 5, attributes 9 (KeyValue), links 13 (Link: trace_id 1, span_id 2).
    private static OtlpSpan ReadSpan(CodedInputStream span, string scope)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        var attributes = new Dictionary<string, string>();
        var links = new List<(string, string)>();
        uint tag;
        while ((tag = span.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: traceId = Convert.ToHexStringLower(span.ReadBytes().Span); break;
                case 2: spanId = Convert.ToHexStringLower(span.ReadBytes().Span); break;
                case 4: parent = Convert.ToHexStringLower(span.ReadBytes().Span); break;
                case 5: name = span.ReadString(); break;
                case 9:
                    var (key, value) = ReadKeyValue(new CodedInputStream(span.ReadBytes().ToByteArray()));
                    attributes[key] = value;
                    break;
                case 13:
                    var link = new CodedInputStream(span.ReadBytes().ToByteArray());
                    string linkTrace = "", linkSpan = "";
                    uint linkTag;
                    while ((linkTag = link.ReadTag()) != 0)
                    {
                        switch (WireFormat.GetTagFieldNumber(linkTag))
                        {
                            case 1: linkTrace = Convert.ToHexStringLower(link.ReadBytes().Span); break;
                            case 2: linkSpan = Convert.ToHexStringLower(link.ReadBytes().Span); break;
                            default: link.SkipLastField(); break;
                        }
                    }

                    links.Add((linkTrace, linkSpan));
                    break;
                default:
                    span.SkipLastField();
                    break;
            }
        }

        return new OtlpSpan(scope, name, traceId, spanId, parent, attributes, links);
    }

    // KeyValue: key 1, value 2 (AnyValue: string 1, bool 2, int 3, double 4).
    private static (string Key, string Value) ReadKeyValue(CodedInputStream keyValue)
    {
        string key = "", value = "";
        uint tag;
        while ((tag = keyValue.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 1)
            {
                key = keyValue.ReadString();
            }
            else if (WireFormat.GetTagFieldNumber(tag) == 2)
            {
                var any = new CodedInputStream(keyValue.ReadBytes().ToByteArray());
                uint anyTag;
                while ((anyTag = any.ReadTag()) != 0)
                {
                    value = WireFormat.GetTagFieldNumber(anyTag) switch
                    {
                        1 => any.ReadString(),
                        2 => any.ReadBool() ? "true" : "false",
                        3 => any.ReadInt64().ToString(CultureInfo.InvariantCulture),
                        4 => any.ReadDouble().ToString(CultureInfo.InvariantCulture),
                        _ => Skip(any),
                    };
                }
            }
            else
            {
                keyValue.SkipLastField();
            }
        }

        return (key, value);
    }

    private static string Skip(CodedInputStream input)
    {
        input.SkipLastField();
        return "";
    }

    private static string ReadStringField(CodedInputStream input, int field)
    {
        var value = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field)
            {
                value = input.ReadString();
            }
            else
            {
                input.SkipLastField();
            }
        }

        return value;
    }

    private static List<CodedInputStream> Messages(CodedInputStream input, int field)
    {
        var messages = new List<CodedInputStream>();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field)
            {
                messages.Add(new CodedInputStream(input.ReadBytes().ToByteArray()));
            }
            else
            {
                input.SkipLastField();
            }
        }

        return messages;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
