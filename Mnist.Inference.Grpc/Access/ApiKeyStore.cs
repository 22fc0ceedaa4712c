using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Mnist.Inference.Grpc.Access;

/// <summary>
/// The keys now in force, re-read from <c>API_KEYS_FILE</c> by <see cref="ApiKeyFileWatcher"/>. A file that cannot
/// be read keeps the keys it had; a file with no valid key refuses every call (fail closed).
/// </summary>
internal sealed class ApiKeyStore
{
    private readonly string _path;
    private readonly ILogger<ApiKeyStore> _logger;
    private volatile ApiKey[] _keys = [];
    private byte[]? _contentHash;

    public ApiKeyStore(IOptions<AccessOptions> options, ILogger<ApiKeyStore> logger)
    {
        _path = options.Value.ApiKeysFile ?? string.Empty;
        _logger = logger;
        if (options.Value.Enabled && !Reload())
        {
            // Started without its keys the server would refuse everything; better not to start.
            throw new InvalidOperationException("API_KEYS_FILE cannot be read; see the log.");
        }
    }

    public int Count => _keys.Length;

    /// <summary>The key, or null. Compares with every key in constant time, so timing tells nothing.</summary>
    public ApiKey? Find(ReadOnlySpan<char> presented)
    {
        if (!ApiKeyFile.IsKeyText(presented))
        {
            return null;
        }

        Span<byte> hash = stackalloc byte[ApiKeyFile.HashSize];
        ApiKeyFile.Hash(presented, hash);
        ApiKey? found = null;
        foreach (var key in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, key.Hash))
            {
                found = key;
            }
        }

        return found;
    }

    /// <summary>Re-reads the file if its content changed. False when it cannot be read.</summary>
    public bool Reload()
    {
        string text;
        try
        {
            text = File.ReadAllText(_path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            AccessLog.KeysFileUnreadable(_logger, _path, e.GetType().Name);
            return false;
        }

        var contentHash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
        if (_contentHash is not null && contentHash.AsSpan().SequenceEqual(_contentHash))
        {
            return true;
        }

        var (keys, badLines) = ApiKeyFile.Parse(text);
        foreach (var line in badLines)
        {
            AccessLog.KeysFileBadLine(_logger, _path, line);
        }

        _keys = [.. keys];
        _contentHash = contentHash;
        var names = string.Join(", ", keys.Select(k => k.Name));
        AccessLog.KeysLoaded(_logger, keys.Count, _path, names);
        return true;
    }
}
