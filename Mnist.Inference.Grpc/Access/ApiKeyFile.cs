using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Mnist.Inference.Grpc.Access;

/// <summary>
/// Parses the keys file: <c>name:key</c> or <c>name:sha256:HEX</c> per line, blank lines and <c>#</c> comments
/// ignored. Names are what logs, spans and metrics show, so they are restricted to a label-safe alphabet.
/// </summary>
internal static class ApiKeyFile
{
    public const string HashPrefix = "sha256:";

    // Keys travel in an HTTP header: visible ASCII only. 16 characters at least, so a key is not guessable by trying.
    private const int MinKeyLength = 16;

    private static readonly SearchValues<char> s_hexDigits = SearchValues.Create("0123456789abcdefABCDEF");
    private static readonly SearchValues<char> s_nameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    /// <summary>The keys, and the 1-based numbers of the lines that are not valid (never their text: it may hold a key).</summary>
    public static (IReadOnlyList<ApiKey> Keys, IReadOnlyList<int> BadLines) Parse(string text)
    {
        var keys = new List<ApiKey>();
        var bad = new List<int>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':');
            var name = colon > 0 ? line[..colon].Trim() : string.Empty;
            var secret = colon > 0 ? line[(colon + 1)..].Trim() : string.Empty;
            if (!IsName(name) || !names.Add(name) || HashOf(secret) is not { } hash)
            {
                bad.Add(number);
                continue;
            }

            keys.Add(new ApiKey(name, hash));
        }

        return (keys, bad);
    }

    public const int HashSize = SHA256.HashSizeInBytes;

    /// <summary>SHA-256 of what a caller presents (at most 256 visible ASCII characters: see <see cref="IsKeyText"/>).</summary>
    public static void Hash(ReadOnlySpan<char> key, Span<byte> hash)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        var length = Encoding.UTF8.GetBytes(key, utf8);
        SHA256.HashData(utf8[..length], hash);
    }

    public static bool IsKeyText(ReadOnlySpan<char> key) =>
        key.Length is >= MinKeyLength and <= 256 && !key.ContainsAnyExceptInRange('!', '~');

    private static byte[]? HashOf(string secret)
    {
        if (secret.StartsWith(HashPrefix, StringComparison.Ordinal))
        {
            var hex = secret[HashPrefix.Length..];
            return hex.Length == 64 && !hex.AsSpan().ContainsAnyExcept(s_hexDigits) ? Convert.FromHexString(hex) : null;
        }

        if (!IsKeyText(secret))
        {
            return null;
        }

        var hash = new byte[HashSize];
        Hash(secret, hash);
        return hash;
    }

    private static bool IsName(string name) =>
        name.Length is > 0 and <= 64
        && !name.AsSpan().ContainsAnyExcept(s_nameCharacters);
}
