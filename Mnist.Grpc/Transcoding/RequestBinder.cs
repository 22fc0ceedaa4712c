using System.Text.Json;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Transcoding;

/// <summary>Builds the request message of a route from the JSON body, the path variables and the query string.</summary>
internal static class RequestBinder
{
    /// <summary>The request, or null when the path does not match after all (the caller answers 404).</summary>
    public static async Task<IMessage?> BindAsync(HttpContext context, TranscodedRoute route, long maxBodySize)
    {
        var pathValues = PathValues.Extract(route.Template, context.Request.RouteValues);
        if (pathValues is null)
        {
            return null;
        }

        var input = route.Method.Descriptor.InputType;
        var request = input.Parser.ParseFrom(ByteString.Empty);
        if (route.HasBody && await JsonRequestBody.ReadAsync(context.Request, maxBodySize).ConfigureAwait(false) is { } json)
        {
            request = route.BodyField is { } field
                ? TranscodingJson.Parser.Parse(WrapAsField(json, field.Root.JsonName), input)
                : TranscodingJson.Parser.Parse(json, input);
        }

        for (var i = 0; i < pathValues.Length; i++)
        {
            RequestFieldWriter.Set(request, route.PathFields[i], [pathValues[i]], "path parameter");
        }

        if (!route.BodyIsWholeRequest)
        {
            BindQuery(context.Request.Query, route, request);
        }

        return request;
    }

    private static void BindQuery(IQueryCollection query, TranscodedRoute route, IMessage request)
    {
        var input = route.Method.Descriptor.InputType;
        foreach (var (key, values) in query)
        {
            // Unknown parameters (cache busters, tracking) and ones aimed at path or body fields are ignored.
            if (!RequestFieldPath.TryResolve(input, key.Split('.'), out var path)
                || !RequestFieldWriter.IsSettableFromText(path!.Leaf)
                || route.PathFields.Any(p => p.Root == path.Root)
                || route.BodyField?.Root == path.Root)
            {
                continue;
            }

            RequestFieldWriter.Set(request, path, values.Select(v => v ?? "").ToArray(), "query parameter");
        }
    }

    /// <summary>
    /// <c>body: "field"</c>: the body is that field's JSON value. Checking it is exactly one JSON value first
    /// keeps a crafted body (<c>1, "other": 2</c>) from setting other fields through the wrapper.
    /// </summary>
    private static string WrapAsField(string json, string jsonName)
    {
        try
        {
            using var _ = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new RequestRejectedException(StatusCodes.Status400BadRequest, StatusCode.InvalidArgument,
                $"Request JSON payload is not correctly formatted: {e.Message}");
        }

        return $"{{\"{JsonEncodedText.Encode(jsonName)}\": {json}}}";
    }
}
