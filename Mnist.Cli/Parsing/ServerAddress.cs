using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Mnist.Cli.Parsing;

/// <summary>
/// Where the server is: <c>host:port</c>, <c>host</c> (port 50051), <c>[::1]:50051</c>, or a full
/// <c>http://</c> / <c>https://</c> URI without a path.
/// </summary>
internal sealed record ServerAddress(Uri Uri)
{
    public const int DefaultPort = 50051;
    public const string Default = "localhost:50051";

    /// <summary>What messages show: <c>host:port</c> as typed, or the URI for https.</summary>
    public override string ToString() =>
        Uri.Scheme == Uri.UriSchemeHttps ? Uri.GetLeftPart(UriPartial.Authority) : $"{Uri.Host}:{Uri.Port}";

    public static bool TryParse(string text, [NotNullWhen(true)] out ServerAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        error = null;
        var trimmed = text.Trim();
        var withScheme = trimmed.Contains("://", StringComparison.Ordinal) ? trimmed : "http://" + trimmed;
        if (trimmed.Length == 0 || !Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            error = $"'{text}' is not a server address; use host:port (e.g. localhost:50051) or http://host:port";
            return false;
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            error = $"'{text}' uses the scheme '{uri.Scheme}'; only http:// (h2c) and https:// are supported";
            return false;
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            error = $"'{text}' has a path, query or user name; give only the scheme, host and port";
            return false;
        }

        if (!HasExplicitPort(trimmed) && !trimmed.Contains("://", StringComparison.Ordinal))
        {
            uri = new UriBuilder(uri) { Port = DefaultPort }.Uri;
        }

        address = new ServerAddress(new Uri(uri.GetLeftPart(UriPartial.Authority)));
        return true;
    }

    // "host:port" or "[v6]:port"; a bare IPv6 literal has colons too, so only a bracketed one may carry a port.
    private static bool HasExplicitPort(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon > text.LastIndexOf(']') && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }
}
