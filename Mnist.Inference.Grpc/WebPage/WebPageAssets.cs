using System.Reflection;
using System.Security.Cryptography;

using Mnist.Inference.Grpc.Rest;

namespace Mnist.Inference.Grpc.WebPage;

/// <summary>
/// The web page's files, embedded in this assembly (no CDN, no disk): read once, served with an ETag so browsers
/// revalidate cheaply, and with a strict Content-Security-Policy (everything from this origin).
/// </summary>
internal sealed class WebPageAssets
{
    private const string ResourcePrefix = "WebPage/";
    private const string Policy = "default-src 'self'; img-src 'self' data: blob:; script-src 'self'; style-src 'self'; "
        + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly Dictionary<string, Asset> _assets = new(StringComparer.Ordinal);

    public WebPageAssets(ILogger logger)
    {
        var assembly = typeof(WebPageAssets).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var file = name[ResourcePrefix.Length..];
            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8))}\"";
            _assets["/" + file] = new Asset(bytes, ContentTypeOf(file), etag);
            RestLog.AssetLoaded(logger, file, bytes.Length);
        }

        if (!_assets.ContainsKey("/index.html"))
        {
            throw new InvalidOperationException($"{assembly.GetName().Name} has no embedded {ResourcePrefix}index.html; the build is broken.");
        }
    }

    /// <summary>The paths served, e.g. <c>/app.js</c>; <c>/</c> serves <c>/index.html</c>.</summary>
    public IEnumerable<string> Paths => _assets.Keys;

    public async Task ServeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value is "/" or null ? "/index.html" : context.Request.Path.Value;
        if (!_assets.TryGetValue(path, out var asset))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var headers = context.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = Policy;
        headers["Referrer-Policy"] = "no-referrer";
        if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        context.Response.ContentType = asset.ContentType;
        context.Response.ContentLength = asset.Bytes.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(asset.Bytes, context.RequestAborted);
        }
    }

    private static string ContentTypeOf(string file) => Path.GetExtension(file) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);
}
